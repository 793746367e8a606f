import { describe, expect, it } from 'vitest';
import { parseHash, serializeSettings } from '../store/url-codec';

describe('present and embed flags', () => {
  it('are read from the query string, as people type them', () => {
    expect(parseHash('', '?present=1').settings.present).toBe(true);
    expect(parseHash('', '?embed=1').settings.embed).toBe(true);
    expect(parseHash('', '').settings.present).toBe(false);
  });

  it('are written to the link only when on, and read back from it', () => {
    const on = parseHash('', '?present=1').settings;
    expect(serializeSettings(on)).toContain('present=1');
    expect(parseHash(serializeSettings(on)).settings.present).toBe(true);
    expect(serializeSettings(parseHash('').settings)).not.toContain('present');
  });

  it('explain a bad value', () => {
    expect(parseHash('', '?embed=yes').notices[0]).toContain('embed mode: "yes" is not 0 or 1');
  });
});
