/** Title, backend in use (with the reason for any fallback), and "Copy link". */
import { useState } from 'react';
import { useAppStore } from '../store/app-store';
import type { BackendChoice } from '../store/settings';
import { currentLink } from '../store/url-sync';
import { SelectField } from './fields';

const BACKENDS: readonly { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Auto (hardware WebGPU, else CPU)' },
  { value: 'gpu', label: 'WebGPU' },
  { value: 'cpu', label: 'CPU float64' },
];

/** Writes text to the clipboard, falling back to a hidden textarea where the API is missing. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** The page header. `onAbout` reopens the introduction (app/learn/IntroDialog). */
export function Header({ onAbout }: { onAbout?: () => void }) {
  const label = useAppStore((s) => s.backendLabel);
  const active = useAppStore((s) => s.activeBackend);
  const reason = useAppStore((s) => s.fallbackReason);
  const backend = useAppStore((s) => s.settings.backend);
  const update = useAppStore((s) => s.updateSettings);
  const [copied, setCopied] = useState('');
  return (
    <header className="app-header">
      <h1>Copyright regression playground</h1>
      <span className="backend-badge" data-testid="backend" data-backend={active ?? ''}>
        Backend: {label || 'checking…'}
      </span>
      <div style={{ minWidth: '19rem' }}>
        <SelectField
          label="Backend choice"
          value={backend}
          options={BACKENDS}
          testId="backend-choice"
          onChange={(v) => update((s) => (s.backend = v))}
        />
      </div>
      <span className="spacer" />
      {onAbout && (
        <button type="button" data-testid="open-intro" aria-haspopup="dialog" onClick={onAbout}>
          About
        </button>
      )}
      <button
        type="button"
        data-testid="copy-link"
        onClick={() => {
          const link = currentLink();
          void copyText(link).then((ok) => setCopied(ok ? 'Link copied.' : `Copy this link: ${link}`));
        }}
      >
        Copy link
      </button>
      <span role="status" className="hint">
        {copied}
      </span>
      {reason && (
        <p
          className="notice"
          style={{ flexBasis: '100%', margin: 0 }}
          data-testid="fallback-reason"
          role="status"
        >
          {/* Active WebGPU with a reason: the device was lost after a GPU run, which stays on screen. */}
          {active === 'cpu' ? `Using the CPU engine. ${reason}` : reason}
        </p>
      )}
    </header>
  );
}
