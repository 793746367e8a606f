/**
 * What the link asked for that had to be changed (clamped, reset, ignored). Shown in every layout,
 * embed mode included (issue 9: an embedded γc = 1e308 silently became 100): in full, or folded
 * into one line that opens, where space is short.
 */
import { useAppStore } from '../store/app-store';

interface Props {
  /** One line with a count that opens to the list (embed mode). */
  compact?: boolean;
}

/** The link notices banner, dismissable. */
export function LinkNotices({ compact = false }: Props) {
  const notices = useAppStore((s) => s.linkNotices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  // Notices can repeat across sources (link, data); index keys keep React quiet about that.
  const list = (
    <ul>
      {notices.map((n, i) => (
        <li key={i}>{n}</li>
      ))}
    </ul>
  );
  const button = (
    <button type="button" onClick={dismiss}>
      Dismiss
    </button>
  );
  if (compact)
    return (
      <details className="notice notice-compact" role="alert" data-testid="link-notices">
        <summary>
          {notices.length === 1 ? 'One setting' : `${notices.length} settings`} in the link had to be changed
        </summary>
        {list}
        {button}
      </details>
    );
  return (
    <div className="notice" role="alert" data-testid="link-notices" style={{ margin: '0.75rem 0.75rem 0' }}>
      {/* Notices come from a link or from a loaded run manifest: the heading names neither. */}
      <strong>Some settings had to be changed:</strong>
      {list}
      {button}
    </div>
  );
}
