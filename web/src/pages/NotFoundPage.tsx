import { Link } from 'react-router-dom';
import { useTitle } from '../lib/hooks';

export function NotFoundPage() {
  useTitle('Page not found');
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </div>
  );
}
