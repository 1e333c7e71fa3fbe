import { type ChangeEvent, type FormEvent, useState } from 'react';
import type { ImportFormat, ImportMode, ImportReport } from '../api/types';
import { useDesk } from '../desk-context';
import { FormError, SelectField } from '../ui/field';
import { describeError } from '../ui/use-query';
import { AccountField, type ClientAccount } from './account-field';
import { detectImportFormat, IMPORT_FORMAT_NAMES } from './import-format';
import { ImportReportView } from './import-report-view';

/** transactions.import takes at most 5 MB of text; a larger file is refused here, before it is sent. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

const FORMAT_OPTIONS = (Object.keys(IMPORT_FORMAT_NAMES) as ImportFormat[]).map((value) => ({
  value,
  text: IMPORT_FORMAT_NAMES[value],
}));

const MODE_OPTIONS: readonly { value: ImportMode; text: string }[] = [
  { value: 'all-or-nothing', text: 'All or nothing' },
  { value: 'skip-invalid', text: 'Skip refused rows' },
];

/** What the import sends; a new key whenever any of it changes, so a check and its import share one. */
interface Request {
  readonly accountId: string;
  readonly format: ImportFormat;
  readonly mode: ImportMode;
  readonly file: { readonly name: string; readonly content: string } | null;
  readonly idempotencyKey: string;
}

function explain(error: Error, serverUrl: string): string {
  const code = (error as { data?: { code?: string } }).data?.code;
  // The server runs one import per person at a time and refuses another at once, without retrying.
  if (code === 'TOO_MANY_REQUESTS') return 'Another import is under way; try again in a few seconds.';
  return describeError(error, serverUrl);
}

/**
 * Imports a file of transactions into one of the client's accounts (the API lets an advisor write to
 * assigned clients' accounts). The file is always checked first — a dry run, which reports exactly
 * what the import would do — and only that report's "Import" stores it, under the same idempotency
 * key, so a repeated click or a retry after a lost answer stores nothing twice.
 */
export function ImportFile(props: {
  accounts: readonly ClientAccount[];
  onImported(): void;
  onClose(): void;
}) {
  const { api, session } = useDesk();
  const [request, setRequest] = useState<Request>(() => ({
    accountId: props.accounts[0]?.accountId ?? '',
    format: 'tickfolio-csv',
    mode: 'all-or-nothing',
    file: null,
    idempotencyKey: crypto.randomUUID(),
  }));
  const [check, setCheck] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Any change to what would be sent voids the check and its key. */
  function change(fields: Partial<Omit<Request, 'idempotencyKey'>>) {
    setRequest((r) => ({ ...r, ...fields, idempotencyKey: crypto.randomUUID() }));
    setCheck(null);
    setResult(null);
    setError(null);
  }

  async function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return change({ file: null });
    if (file.size > MAX_FILE_BYTES) {
      change({ file: null });
      setError(`${file.name} is larger than the 5 MB an import takes; split it into smaller files.`);
      return;
    }
    const content = await file.text();
    change({ file: { name: file.name, content }, format: detectImportFormat(file.name, content) });
  }

  async function run(dryRun: boolean) {
    const { file, ...rest } = request;
    if (!file) return;
    setBusy(dryRun ? 'check' : 'import');
    setError(null);
    try {
      const report = await api.transactions.import.mutate({ ...rest, content: file.content, dryRun });
      if (dryRun) {
        // A check after the import shows what is left to store (the imported rows are now duplicates).
        setResult(null);
        setCheck(report);
      } else {
        setResult(report);
        if (report.imported > 0) props.onImported();
      }
    } catch (failure) {
      setError(explain(failure as Error, session.serverUrl));
    } finally {
      setBusy(null);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(true);
  }

  const shown = result ?? check;
  // A real all-or-nothing run naming instruments the catalogue lacks is refused whole: not offered.
  const canImport =
    check !== null &&
    result === null &&
    check.imported > 0 &&
    (check.mode === 'skip-invalid' || check.unknownInstruments.length === 0) &&
    busy === null;
  return (
    <form className="panel add-tx" onSubmit={submit} aria-label="Import file" data-testid="import-file">
      <h2>Import file</h2>
      <div className="form-row">
        <AccountField
          accounts={props.accounts}
          value={request.accountId}
          onChange={(accountId) => change({ accountId })}
        />
        <label>
          File
          <input type="file" accept=".csv,.json,text/csv,application/json" onChange={pick} required />
        </label>
        <SelectField
          label="Format"
          value={request.format}
          options={FORMAT_OPTIONS}
          onChange={(format) => change({ format })}
        />
        <SelectField
          label="On refused rows"
          value={request.mode}
          options={MODE_OPTIONS}
          onChange={(mode) => change({ mode })}
        />
      </div>
      <FormError message={error} />
      <div className="form-actions">
        <button
          type="submit"
          className={check ? undefined : 'primary'}
          disabled={busy !== null || !request.file}
        >
          {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canImport}
          onClick={() => void run(false)}
          data-testid="import-run"
        >
          {busy === 'import'
            ? 'Importing…'
            : check && check.imported > 0
              ? `Import ${check.imported}`
              : 'Import'}
        </button>
        <button type="button" className="quiet" onClick={props.onClose}>
          {result ? 'Done' : 'Cancel'}
        </button>
      </div>
      <div aria-live="polite">{shown && <ImportReportView report={shown} />}</div>
    </form>
  );
}
