/**
 * Saving files from the page: a Blob becomes an object URL clicked through a temporary link, so
 * the browser saves it locally. Nothing is uploaded anywhere.
 */

/** Saves a Blob under a file name. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: the download may start after this tick.
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/** Saves text under a file name. */
export function saveText(fileName: string, text: string, mime: string): void {
  saveBlob(fileName, new Blob([text], { type: mime }));
}

/** Decodes a `data:image/png;base64,…` URL (what Plotly.toImage gives) into a Blob, without fetch. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const comma = dataUrl.indexOf(',');
  const header = dataUrl.slice(0, comma);
  const mime = /^data:([^;,]+)/.exec(header)?.[1] ?? 'application/octet-stream';
  const body = dataUrl.slice(comma + 1);
  if (!header.endsWith(';base64')) return new Blob([decodeURIComponent(body)], { type: mime });
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** A file-name-safe stamp such as 2026-01-02T03-04-05. */
export function fileStamp(d = new Date()): string {
  return d.toISOString().slice(0, 19).replace(/:/g, '-');
}
