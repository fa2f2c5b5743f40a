import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDef {
  key: string;
  label: string;
}

interface Props {
  /** Prefix for the tab and panel ids. */
  id: string;
  /** Accessible name of the tab list. */
  label: string;
  tabs: TabDef[];
  current: string;
  onChange: (key: string) => void;
  /** The current tab's panel. */
  children: ReactNode;
}

/**
 * WAI-ARIA tabs with automatic activation: one tab stop (roving tabindex), Left/Right arrows move and select,
 * Home/End jump to the first/last tab. Only the selected panel is rendered.
 */
export function Tabs({ id, label, tabs, current, onChange, children }: Props) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const tabId = (k: string) => `${id}-tab-${k}`;
  const panelId = (k: string) => `${id}-panel-${k}`;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.key === current);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const k = tabs[next].key;
    onChange(k);
    refs.current[k]?.focus();
  };

  return (
    <div className="tabs">
      <div className="tablist" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((t) => {
          const sel = t.key === current;
          return (
            <button
              key={t.key}
              ref={(el) => {
                refs.current[t.key] = el;
              }}
              type="button"
              role="tab"
              id={tabId(t.key)}
              aria-selected={sel}
              aria-controls={panelId(t.key)}
              tabIndex={sel ? 0 : -1}
              className="tab"
              onClick={() => onChange(t.key)}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={panelId(current)} aria-labelledby={tabId(current)} tabIndex={0} className="tabpanel">
        {children}
      </div>
    </div>
  );
}
