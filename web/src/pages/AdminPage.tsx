import { NavLink, Navigate, useParams } from 'react-router-dom';
import { PageHeader } from '../components/ui';
import { useTitle } from '../lib/hooks';
import { ExceptionsAdmin } from './admin/ExceptionsAdmin';
import { LocationsAdmin } from './admin/LocationsAdmin';
import { ProvidersAdmin } from './admin/ProvidersAdmin';
import { RoomsAdmin } from './admin/RoomsAdmin';
import { TemplatesAdmin } from './admin/TemplatesAdmin';
import { TypesAdmin } from './admin/TypesAdmin';
import { UsersAdmin } from './admin/UsersAdmin';

const SECTIONS = [
  { key: 'users', label: 'Users', el: <UsersAdmin /> },
  { key: 'locations', label: 'Locations', el: <LocationsAdmin /> },
  { key: 'rooms', label: 'Rooms', el: <RoomsAdmin /> },
  { key: 'providers', label: 'Providers', el: <ProvidersAdmin /> },
  { key: 'types', label: 'Appointment types', el: <TypesAdmin /> },
  { key: 'templates', label: 'Availability', el: <TemplatesAdmin /> },
  { key: 'exceptions', label: 'Holidays and leave', el: <ExceptionsAdmin /> },
];

export function AdminPage() {
  const { section } = useParams();
  const cur = SECTIONS.find((s) => s.key === section);
  useTitle(cur ? `Admin · ${cur.label}` : 'Admin');
  if (!cur) return <Navigate to="/admin/users" replace />;
  return (
    <div className="page page-wide">
      <PageHeader title="Administration" />
      <div className="admin-layout">
        <nav className="subnav" aria-label="Administration sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.key}>
                <NavLink to={`/admin/${s.key}`}>{s.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="admin-main">{cur.el}</div>
      </div>
    </div>
  );
}
