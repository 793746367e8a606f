/** A link from a classroom mode back to the full playground with the same settings. */
import { useAppStore } from '../store/app-store';
import { serializeSettings } from '../store/url-codec';

/** "Open the full playground": the same link without the mode flag (query and hash). */
export function ModeExit({ flag }: { flag: 'present' | 'embed' }) {
  const settings = useAppStore((s) => s.settings);
  const query = new URLSearchParams(window.location.search);
  query.delete(flag);
  const search = query.toString();
  const href = `${window.location.pathname}${search ? `?${search}` : ''}#${serializeSettings({ ...settings, [flag]: false })}`;
  return (
    <a
      href={href}
      target={flag === 'embed' ? '_blank' : undefined}
      rel="noopener"
      data-testid="open-full"
      onClick={(e) => {
        if (flag === 'embed') return;
        // Same tab: the hash alone would keep ?present=1, so leave the mode in the store too.
        e.preventDefault();
        window.history.replaceState(window.history.state, '', href);
        useAppStore.getState().updateSettings((s) => (s[flag] = false));
      }}
    >
      Open the full playground
    </a>
  );
}
