import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { ReactNode } from 'react';
import { Layout } from './components/Layout';
import { Spinner } from './components/ui';
import { useAuth } from './lib/auth';
import { ReferenceProvider } from './lib/reference';
import { homeFor } from './lib/roles';
import { LoginPage } from './pages/LoginPage';
import { PatientSearchPage } from './pages/PatientSearchPage';
import { RegisterPatientPage } from './pages/RegisterPatientPage';
import { PatientPage } from './pages/PatientPage';
import { EditPatientPage } from './pages/EditPatientPage';
import { SchedulePage } from './pages/SchedulePage';
import { BookPage } from './pages/BookPage';
import { FlowBoardPage } from './pages/FlowBoardPage';
import { AdminPage } from './pages/AdminPage';
import { AuditPage } from './pages/AuditPage';
import { InterfacesPage } from './pages/InterfacesPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { CasesPage } from './pages/CasesPage';
import { NewCasePage } from './pages/NewCasePage';
import { CasePage } from './pages/CasePage';
import { RelationsSettingsPage } from './pages/RelationsSettingsPage';
import { RelationsReportPage } from './pages/RelationsReportPage';
import { PublicComplaintPage } from './pages/PublicComplaintPage';
import { MetricsPage } from './pages/MetricsPage';
import { CommentsPage } from './pages/CommentsPage';
import { ProjectListPage } from './pages/improvement/ProjectListPage';
import { AlertsPage } from './pages/metrics/AlertsPage';
import { NewProjectPage, ProjectPage } from './pages/improvement/ProjectPage';
import { SurveysHome } from './pages/surveys/SurveyListPage';
import { SurveyBuilderPage } from './pages/surveys/SurveyBuilderPage';
import { SurveyPage } from './pages/surveys/SurveyPage';
import { SurveySettingsPage } from './pages/surveys/SurveySettingsPage';
import { InvitationsPage } from './pages/surveys/InvitationsPage';
import { PrintSlipPage } from './pages/surveys/PrintSlipPage';
import { PublicSurveyPage } from './pages/surveys/PublicSurveyPage';

function RequireAuth({ children }: { children: ReactNode }) {
  const { session, restoring } = useAuth();
  const location = useLocation();
  if (restoring) return <Spinner label="Restoring your session…" />;
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequirePermission({ anyOf, children }: { anyOf: string[]; children: ReactNode }) {
  const { can } = useAuth();
  if (!anyOf.some((p) => can(p)))
    return (
      <div className="page">
        <h1>Not available</h1>
        <p>Your role does not give access to this page.</p>
      </div>
    );
  return <>{children}</>;
}

function Home() {
  const { session } = useAuth();
  return <Navigate to={homeFor(session)} replace />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/complaint" element={<PublicComplaintPage />} />
      <Route path="/s/:token" element={<PublicSurveyPage />} />
      <Route
        element={
          <RequireAuth>
            <ReferenceProvider>
              <Layout />
            </ReferenceProvider>
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="patients" element={<PatientSearchPage />} />
        <Route path="patients/new" element={<RegisterPatientPage />} />
        <Route path="patients/:id" element={<PatientPage />} />
        <Route path="patients/:id/edit" element={<EditPatientPage />} />
        <Route path="schedule" element={<SchedulePage />} />
        <Route path="schedule/book" element={<BookPage />} />
        <Route path="flow" element={<FlowBoardPage />} />
        <Route
          path="admin/:section?"
          element={
            <RequirePermission anyOf={['setup.write', 'user.admin']}>
              <AdminPage />
            </RequirePermission>
          }
        />
        <Route
          path="interfaces"
          element={
            <RequirePermission anyOf={['interfaces.manage']}>
              <InterfacesPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission anyOf={['audit.read']}>
              <AuditPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases"
          element={
            <RequirePermission anyOf={['cases.read']}>
              <CasesPage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/new"
          element={
            <RequirePermission anyOf={['cases.write']}>
              <NewCasePage />
            </RequirePermission>
          }
        />
        <Route
          path="cases/:id"
          element={
            <RequirePermission anyOf={['cases.read']}>
              <CasePage />
            </RequirePermission>
          }
        />
        <Route
          path="relations/settings"
          element={
            <RequirePermission anyOf={['cases.manage']}>
              <RelationsSettingsPage />
            </RequirePermission>
          }
        />
        <Route
          path="relations/report"
          element={
            <RequirePermission anyOf={['cases.read']}>
              <RelationsReportPage />
            </RequirePermission>
          }
        />
        <Route
          path="dashboard/:key?"
          element={
            <RequirePermission anyOf={['analytics.read']}>
              <MetricsPage />
            </RequirePermission>
          }
        />
        <Route
          path="alerts"
          element={
            <RequirePermission anyOf={['analytics.read']}>
              <AlertsPage />
            </RequirePermission>
          }
        />
        <Route
          path="improvement"
          element={
            <RequirePermission anyOf={['analytics.read']}>
              <ProjectListPage />
            </RequirePermission>
          }
        />
        <Route
          path="improvement/new"
          element={
            <RequirePermission anyOf={['improvement.write']}>
              <NewProjectPage />
            </RequirePermission>
          }
        />
        <Route
          path="improvement/:id"
          element={
            <RequirePermission anyOf={['analytics.read']}>
              <ProjectPage />
            </RequirePermission>
          }
        />
        <Route
          path="comments"
          element={
            <RequirePermission anyOf={['comments.read']}>
              <CommentsPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys"
          element={
            <RequirePermission anyOf={['surveys.manage', 'analytics.read', 'surveys.send']}>
              <SurveysHome />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/new"
          element={
            <RequirePermission anyOf={['surveys.manage']}>
              <SurveyBuilderPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/settings"
          element={
            <RequirePermission anyOf={['surveys.manage']}>
              <SurveySettingsPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/invitations"
          element={
            <RequirePermission anyOf={['surveys.send']}>
              <InvitationsPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/invitations/:id/print"
          element={
            <RequirePermission anyOf={['surveys.send']}>
              <PrintSlipPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/:id"
          element={
            <RequirePermission anyOf={['surveys.manage', 'analytics.read']}>
              <SurveyPage />
            </RequirePermission>
          }
        />
        <Route
          path="surveys/:id/edit"
          element={
            <RequirePermission anyOf={['surveys.manage']}>
              <SurveyBuilderPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
