/**
 * Playback speed: how many iterations per second a playing run shows (or as fast as possible).
 * It changes how a run is shown, not what it computes, so it applies mid-run without a reset.
 */
import { useId } from 'react';
import { useAppStore } from '../store/app-store';
import { SPEED_CHOICES } from '../store/settings';

/** Label of one speed choice. */
export function speedLabel(speed: number): string {
  return speed === 0 ? 'as fast as possible' : `${speed} it/s`;
}

/** The speed menu; a value from a link that is not a menu choice is shown as its own entry. */
export function SpeedControl() {
  const speed = useAppStore((s) => s.settings.speed);
  const update = useAppStore((s) => s.updateSettings);
  const id = useId();
  const choices = SPEED_CHOICES.includes(speed) ? SPEED_CHOICES : [...SPEED_CHOICES, speed];
  return (
    <span className="speed-control">
      <label htmlFor={id}>Speed</label>{' '}
      <select
        id={id}
        value={String(speed)}
        data-testid="speed"
        onChange={(e) => {
          const v = Number(e.target.value);
          update((s) => (s.speed = v));
        }}
      >
        {choices.map((v) => (
          <option key={v} value={String(v)}>
            {speedLabel(v)}
          </option>
        ))}
      </select>
    </span>
  );
}
