/**
 * What this browser keeps of uploaded data, the offer to reload the latest upload, and the
 * "Clear local data" control. Nothing is ever sent anywhere; this only manages IndexedDB.
 */
import { acceptOffer, clearAll, usePersistStore } from './persist-controller';

/** The local-data controls in the data panel. */
export function LocalDataControls() {
  const stored = usePersistStore((s) => s.stored);
  const offer = usePersistStore((s) => s.offer);
  const message = usePersistStore((s) => s.message);
  return (
    <div className="local-data" data-testid="local-data">
      <h3>Stored in this browser</h3>
      {offer && (
        <div className="notice" role="status" data-testid="stored-offer">
          Your upload <strong>{offer.fileName}</strong> is stored in this browser.{' '}
          <button type="button" onClick={() => void acceptOffer()} data-testid="load-stored">
            Load it
          </button>
        </div>
      )}
      <p className="hint" data-testid="stored-count">
        {stored === null
          ? 'Uploaded CSVs and their tags are kept in this browser (IndexedDB) so they survive a reload.'
          : `${stored} uploaded data set${stored === 1 ? '' : 's'} kept in this browser (never sent anywhere).`}
      </p>
      <button type="button" onClick={() => void clearAll()} data-testid="clear-local-data">
        Clear local data
      </button>
      <p role="status" className="hint" data-testid="local-data-status">
        {message}
      </p>
    </div>
  );
}
