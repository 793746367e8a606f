/** What the link asked for that had to be changed (clamped, reset, ignored). */
import { useAppStore } from '../store/app-store';

/** The link notices banner, dismissable. */
export function LinkNotices() {
  const notices = useAppStore((s) => s.linkNotices);
  const dismiss = useAppStore((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="link-notices" style={{ margin: '0.75rem 0.75rem 0' }}>
      <strong>Some settings in the link were changed:</strong>
      <ul>
        {notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
