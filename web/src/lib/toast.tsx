// Polite announcements of completed actions ("Appointment cancelled"), shown bottom-right.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  kind: 'success' | 'error' | 'info';
}
interface ToastApi {
  notify(text: string, kind?: Toast['kind']): void;
}
const ToastContext = createContext<ToastApi>({ notify: () => undefined });

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const notify = useCallback((text: string, kind: Toast['kind'] = 'success') => {
    const id = next.current++;
    setToasts((t) => [...t.slice(-2), { id, text, kind }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 6000);
  }, []);
  const value = useMemo(() => ({ notify }), [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`}>
            {t.text}
            <button
              type="button"
              className="toast-close"
              aria-label="Dismiss notification"
              onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}

/**
 * Copies text to the clipboard and says so: "The <what> is copied.", or, where the browser refuses, to select
 * the <what> instead.
 */
export function useCopy() {
  const { notify } = useToast();
  return useCallback(
    async (text: string, what: string) => {
      try {
        await navigator.clipboard.writeText(text);
        notify(`The ${what} is copied.`, 'success');
      } catch {
        notify(`Copying is not allowed here; select the ${what} instead.`, 'error');
      }
    },
    [notify],
  );
}
