import { useCallback, useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { describeError } from '../api/api-error';
import { useTranslation } from 'react-i18next';

/** A page's heading: sets the document title and takes focus after navigation, for screen readers. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.titleSuffix', { title });
    ref.current?.focus();
  }, [title, t]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
}

export function Field({ label, hint, id, ...input }: FieldProps) {
  const { t } = useTranslation();
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label}
        {input.required ? null : <span className="optional">{t('common.optional')}</span>}
      </label>
      <input id={fieldId} aria-describedby={hint ? `${fieldId}-hint` : undefined} {...input} />
      {hint ? (
        <div className="hint" id={`${fieldId}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  required?: boolean;
  name?: string;
}

export function Select({ label, value, onChange, options, required = true, name }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} required={required} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The API's reasons, announced and focused so a keyboard user lands on them. */
export function ErrorSummary({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const reasons = describeError(error);
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref}>
      <strong>{title ?? t('common.problem')}</strong>
      <ul>
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}

/** Runs an action, keeping its busy state and error for the form that started it. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        await action(...args);
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { busy, error, run, setError };
}

/** Loads data for a page; `reload` fetches it again after a change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (value) => live && setData(value),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [version, ...deps]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload, loading: data === undefined && !error };
}

export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('common.loading', { what })}
    </p>
  );
}

/** A form whose submit handler is async; stops the browser's own submit. */
export function Form({
  onSubmit,
  children,
  label,
}: {
  onSubmit: () => Promise<void> | void;
  children: ReactNode;
  label?: string;
}) {
  return (
    <form
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}
