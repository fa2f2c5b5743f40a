import { useRef, useState } from 'react';
import * as api from '../../api';
import type { Case, CaseAttachment, Id } from '../../api/types';
import { saveBlob } from '../../lib/download';
import { MAX_ATTACHMENT_BYTES, fmtBytes } from '../../lib/relations';
import { fmtDateTime } from '../../lib/time';
import { useToast } from '../../lib/toast';
import { Empty, ErrorAlert } from '../ui';

/** Letters, emails and photos kept with the case: upload (with progress), list and download. */
export function AttachmentsPanel({ c, canWrite, onUploaded }: { c: Case; canWrite: boolean; onUploaded: (a: CaseAttachment) => void }) {
  const { notify } = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const ctlRef = useRef<AbortController | null>(null);
  const [uploading, setUploading] = useState<{ name: string; fraction: number } | null>(null);
  const [fileErr, setFileErr] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState<Id | null>(null);
  const items = c.attachments ?? [];

  const upload = async (file: File) => {
    setFileErr(null);
    setError(null);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setFileErr(`“${file.name}” is ${fmtBytes(file.size)}; files can be at most 10 MB.`);
      return;
    }
    if (file.size === 0) {
      setFileErr(`“${file.name}” is empty.`);
      return;
    }
    const ctl = new AbortController();
    ctlRef.current = ctl;
    setUploading({ name: file.name, fraction: 0 });
    try {
      const a = await api.uploadCaseAttachment(c.id, file, {
        signal: ctl.signal,
        onProgress: (fraction) => setUploading({ name: file.name, fraction }),
      });
      notify(`Attached ${a.filename ?? file.name}`);
      onUploaded(a);
    } catch (e) {
      if (api.isAbortError(e)) return;
      if (api.isApiError(e) && e.status === 413) setFileErr(`“${file.name}” is larger than the 10 MB the server accepts.`);
      else if (api.isApiError(e) && (e.status === 400 || e.status === 415)) setFileErr(e.message);
      else setError(e);
    } finally {
      ctlRef.current = null;
      setUploading(null);
      if (inputRef.current) inputRef.current.value = '';
    }
  };

  const download = async (a: CaseAttachment) => {
    setDownloading(a.id);
    setError(null);
    try {
      saveBlob(await api.downloadCaseAttachment(c.id, a.id), a.filename);
    } catch (e) {
      setError(e);
    } finally {
      setDownloading(null);
    }
  };

  const pct = uploading ? Math.round(uploading.fraction * 100) : 0;
  return (
    <section className="panel" aria-labelledby="att-h">
      <h2 id="att-h">Attachments</h2>
      <ErrorAlert error={error} title="Attachment problem" />
      {items.length === 0 ? (
        <Empty>No attachments.</Empty>
      ) : (
        <ul className="plain-list att-list">
          {items.map((a) => (
            <li key={String(a.id)}>
              <div className="att-main">
                <span className="att-name">{a.filename}</span>
                <span className="muted small">
                  {fmtBytes(a.size)} · {fmtDateTime(a.uploaded_at)}
                  {a.uploaded_by ? ` · ${a.uploaded_by}` : ''}
                </span>
              </div>
              <button
                type="button"
                className="btn btn-small"
                disabled={downloading === a.id}
                aria-label={`${downloading === a.id ? 'Downloading' : 'Download'} ${a.filename}`}
                onClick={() => download(a)}
              >
                {downloading === a.id ? 'Downloading…' : 'Download'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <div className={`field att-upload${fileErr ? ' has-error' : ''}`}>
          <label htmlFor="att-file">Attach a file</label>
          <input
            ref={inputRef}
            id="att-file"
            type="file"
            disabled={!!uploading}
            aria-describedby={['att-file-hint', fileErr ? 'att-file-error' : ''].filter(Boolean).join(' ')}
            aria-invalid={fileErr ? true : undefined}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void upload(f);
            }}
          />
          <div className="hint" id="att-file-hint">
            The letter, email or photos the person sent. Up to 10 MB each.
          </div>
          {fileErr && (
            <div className="field-error" id="att-file-error" role="alert">
              {fileErr}
            </div>
          )}
          {uploading && (
            <div className="upload-progress" role="status" aria-live="polite">
              <span className="spinner" aria-hidden="true" />
              <label htmlFor="att-progress">
                Uploading {uploading.name}… {pct}%
              </label>
              <progress id="att-progress" max={100} value={pct} />
              <button type="button" className="btn btn-small" onClick={() => ctlRef.current?.abort()}>
                Cancel upload
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
