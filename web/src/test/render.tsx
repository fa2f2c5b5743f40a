import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { Role, SessionInfo } from '../api/types';
import { AuthProvider } from '../lib/auth';
import { ReferenceProvider } from '../lib/reference';
import { ToastProvider } from '../lib/toast';

/** Render a page inside the app's providers at `route`, mounted on `path`; any other path shows a probe. */
export function renderPage(
  ui: ReactElement,
  { route, path, role = 'coordinator', permissions, user }: { route: string; path: string; role?: Role; permissions?: string[]; user?: Partial<SessionInfo['user']> },
) {
  const session: SessionInfo = { user: { id: 1, username: role, role, display_name: `Test ${role}`, ...user }, permissions: permissions ?? [] };
  return render(
    <MemoryRouter initialEntries={[route]}>
      <AuthProvider initialSession={session}>
      <ToastProvider>
        <ReferenceProvider>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </ReferenceProvider>
      </ToastProvider>
      </AuthProvider>
    </MemoryRouter>,
  );
}

function LocationProbe() {
  const l = useLocation();
  return <div data-testid="location">{l.pathname + l.search}</div>;
}
