/**
 * Applying a classroom preset to the page: the run is reset, then the settings are replaced by the
 * preset's (keeping the backend choice and page modes, see presets.ts). One function for every
 * place that offers presets (the preset picker, the introduction's "things to try").
 */
import { PRESETS, applyPreset, type Preset } from '../presets/presets';
import { resetRun } from '../run/run-controller';
import { useAppStore } from '../store/app-store';

/** Applies this preset to the store. */
export function applyPresetToStore(preset: Preset): void {
  resetRun();
  const state = useAppStore.getState();
  state.replaceSettings(applyPreset(preset, state.settings));
}

/** Applies the preset with this id; false (and nothing changes) when there is none. */
export function applyPresetById(id: string): boolean {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) return false;
  applyPresetToStore(preset);
  return true;
}
