/**
 * Entry point: reads the link into the store, starts the data, backend and run synchronisation,
 * installs the keyboard shortcuts and the prompt before leaving a run, then renders.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startDataSync } from './data/data-controller';
import { installKeyboardShortcuts } from './keyboard';
import { installLeaveGuard } from './persist/leave-guard';
import { startPersistence } from './persist/persist-controller';
import { startRunSync } from './run/run-sync';
import { startUrlSync } from './store/url-sync';
import './styles.css';

// The URL sync rewrites the hash into its normalised form at once; `opened` is the link as the
// page was opened, which persistence needs (no link: offer the latest stored upload).
const { opened } = startUrlSync();
startDataSync();
startRunSync();
// After the data sync: it restores the uploaded CSV a link asks for from this browser's storage.
startPersistence(opened.hash);
installKeyboardShortcuts();
installLeaveGuard();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
