/**
 * Where the class is in the lesson (app/learn/lesson.ts): null when no lesson is open. A step
 * applies its preset as the preset picker does (apply-preset.ts), so the link reproduces it.
 */
import { create } from 'zustand';
import { applyPresetToStore } from './apply-preset';
import { LESSON, stepPreset } from './lesson';

interface LessonState {
  /** Index into LESSON, or null when the lesson is closed. */
  step: number | null;
}

export const useLessonStore = create<LessonState>(() => ({ step: null }));

/** Opens step i (clamped to the lesson) and applies its preset. */
export function goToStep(i: number): void {
  const step = Math.min(LESSON.length - 1, Math.max(0, i));
  useLessonStore.setState({ step });
  applyPresetToStore(stepPreset(LESSON[step]));
}

/** Starts the lesson at its first step. */
export function startLesson(): void {
  goToStep(0);
}

/** Closes the lesson (the settings stay as they are). */
export function closeLesson(): void {
  useLessonStore.setState({ step: null });
}
