import { describe, expect, it } from 'vitest';
import type * as PlotlyTypes from 'plotly.js';
import { PRESENTER_FONTS, presenterLayout, thin } from './charts';

describe('thin', () => {
  it('keeps short histories whole and long ones under the cap with the last point', () => {
    const short = Array.from({ length: 10 }, (_, i) => i);
    expect(thin(short)).toBe(short);
    const long = Array.from({ length: 10_001 }, (_, i) => i);
    const out = thin(long);
    expect(out.length).toBeLessThanOrEqual(1501);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(10_000);
  });
});

describe('presenterLayout', () => {
  it('enlarges title, axis, tick and legend text, keeps the rest, and leaves the input alone', () => {
    const base: Partial<PlotlyTypes.Layout> = {
      title: { text: 'τ', font: { size: 13, color: '#111' } },
      font: { family: 'system-ui', size: 11, color: '#111' },
      xaxis: { title: { text: 'iteration' }, color: '#222' },
      yaxis: { title: { text: 'τ' }, type: 'log' },
      legend: { orientation: 'h', font: { size: 10 } },
      margin: { l: 56, r: 12, t: 32, b: 36 },
    };
    const copy = structuredClone(base);
    const big = presenterLayout(base);
    expect(base).toEqual(copy);
    const title = big.title as { text: string; font: { size: number; color: string } };
    expect(title.text).toBe('τ');
    expect(title.font).toEqual({ size: PRESENTER_FONTS.title, color: '#111' });
    expect(big.font).toEqual({ family: 'system-ui', size: PRESENTER_FONTS.tick, color: '#111' });
    for (const axis of [big.xaxis, big.yaxis]) {
      expect((axis?.title as { font: { size: number } }).font.size).toBe(PRESENTER_FONTS.axisTitle);
      expect(axis?.tickfont?.size).toBe(PRESENTER_FONTS.tick);
    }
    expect(big.xaxis?.color).toBe('#222');
    expect(big.yaxis?.type).toBe('log');
    expect(big.legend?.orientation).toBe('h');
    expect(big.legend?.font?.size).toBe(PRESENTER_FONTS.legend);
    expect(big.margin?.r).toBe(12);
    for (const size of Object.values(PRESENTER_FONTS)) expect(size).toBeGreaterThan(13);
  });
});
