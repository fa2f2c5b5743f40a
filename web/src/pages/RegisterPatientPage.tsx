import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import * as api from '../api';
import type { DuplicateCandidate, PatientInput } from '../api/types';
import { DuplicateDialog } from '../components/DuplicateDialog';
import { PatientForm } from '../components/PatientForm';
import { PageHeader } from '../components/ui';
import { patientName, mrnText } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { useToast } from '../lib/toast';

export function RegisterPatientPage() {
  useTitle('Register patient');
  const navigate = useNavigate();
  const { notify } = useToast();
  const [pending, setPending] = useState<{ body: PatientInput; candidates: DuplicateCandidate[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [anywayError, setAnywayError] = useState<unknown>(null);

  const done = (p: { id: unknown; mrn: string } & Parameters<typeof patientName>[0]) => {
    notify(`Registered ${patientName(p)} — ${mrnText(p.mrn)}`);
    navigate(`/patients/${encodeURIComponent(String(p.id))}`, { state: { registered: true } });
  };

  const submit = async (body: PatientInput) => {
    try {
      const p = await api.createPatient({ ...body, confirm_new: false });
      done(p);
    } catch (e) {
      if (api.isApiError(e) && e.status === 409 && e.code === 'possible_duplicate') {
        const candidates = ((e.body as { candidates?: DuplicateCandidate[] } | undefined)?.candidates ?? []).slice();
        candidates.sort((a, b) => (b.match?.probability ?? 0) - (a.match?.probability ?? 0));
        setAnywayError(null);
        setPending({ body, candidates });
      }
      throw e;
    }
  };

  const registerAnyway = async () => {
    if (!pending) return;
    setBusy(true);
    setAnywayError(null);
    try {
      const p = await api.createPatient({ ...pending.body, confirm_new: true });
      setPending(null);
      done(p);
    } catch (e) {
      setAnywayError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Register patient"
        sub={
          <>
            Fields marked * are required. Before registering, <Link to="/patients">search</Link> to check the patient is not already on file.
          </>
        }
      />
      <PatientForm submitLabel="Register patient" busyLabel="Checking for duplicates…" onSubmit={submit} onCancel={() => navigate('/patients')} />
      {pending && (
        <DuplicateDialog
          candidates={pending.candidates}
          busy={busy}
          error={anywayError}
          onClose={() => setPending(null)}
          onOpen={(c) => navigate(`/patients/${encodeURIComponent(String(c.id))}`)}
          onRegisterAnyway={registerAnyway}
        />
      )}
    </div>
  );
}
