import { useNavigate, useParams } from 'react-router-dom';
import * as api from '../api';
import { PatientForm } from '../components/PatientForm';
import { ErrorAlert, PageHeader, Spinner } from '../components/ui';
import { patientName, mrnText } from '../lib/format';
import { useApi, useTitle } from '../lib/hooks';
import { useToast } from '../lib/toast';

export function EditPatientPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { notify } = useToast();
  const res = useApi((signal) => api.getPatient(id, { signal }), [id]);
  useTitle(res.data ? `Edit ${patientName(res.data)}` : 'Edit patient');
  const back = () => navigate(`/patients/${encodeURIComponent(id)}`);
  return (
    <div className="page">
      <PageHeader title={res.data ? `Edit ${patientName(res.data)}` : 'Edit patient'} sub={res.data && <>{mrnText(res.data.mrn)}</>} />
      {res.loading && <Spinner label="Loading patient…" />}
      <ErrorAlert error={res.error} title="Could not load the patient" onRetry={res.reload} />
      {res.data && (
        <PatientForm
          initial={res.data}
          submitLabel="Save changes"
          onSubmit={async (body) => {
            const p = await api.updatePatient(id, body);
            notify(`Saved ${patientName(p)}`);
            back();
          }}
          onCancel={back}
        />
      )}
    </div>
  );
}
