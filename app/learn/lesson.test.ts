import { describe, expect, it } from 'vitest';
import { LESSON, stepPreset } from './lesson';

describe('lesson', () => {
  it('has 5–8 steps, each opening a distinct preset (whose claim the preset tests check)', () => {
    expect(LESSON.length).toBeGreaterThanOrEqual(5);
    expect(LESSON.length).toBeLessThanOrEqual(8);
    const ids = LESSON.map((s) => stepPreset(s).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const step of LESSON) expect(step.text.length).toBeGreaterThan(40);
  });
});
