import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor wait up to 1 s by default. make test runs this suite on 2 cores right after the C++
// tests, where a page's render and its mocked fetches have been seen to take 1.1 s; a real failure
// still fails, only later.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
