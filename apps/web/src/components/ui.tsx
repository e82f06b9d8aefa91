import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react';
import type { TFunction } from 'i18next';
import { describeError, fieldMessagesOf } from '../api/api-error';
import { useTranslation } from 'react-i18next';

/** How many pages this document has shown: the first is a load, the rest navigations. */
let pagesShown = 0;

/**
 * A page's heading: sets the document title and takes focus after navigation, for screen readers and
 * keyboards (2.4.3). `focusKey`: what else, changing, makes the page a new one (the tracked numbers).
 */
export function PageTitle({ children, title, focusKey }: { children: ReactNode; title: string; focusKey?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.titleSuffix', { title });
    // Not on the document's first page: a fresh load starts at the top, where the skip link is (2.4.1).
    if (pagesShown++ > 0) ref.current?.focus();
  }, [title, t, focusKey]);
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

/** A control's problem found by its form (WCAG 3.3.1): shown under it, tied to it by aria-describedby. */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      {/* The sign says "error" without colour (1.4.1); the text says it to a screen reader. */}
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  );
}

/** The aria-invalid and aria-describedby of a control with this id, hint and the error its form found. */
export function useFieldError(id: string, describedBy?: string) {
  const error = useContext(FormErrorsContext)[id];
  const ids = [describedBy, error ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return { error, aria: { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined } };
}

export function Field({ label, hint, id, ...input }: FieldProps) {
  const { t } = useTranslation();
  const auto = useId();
  const fieldId = id ?? auto;
  const { error, aria } = useFieldError(fieldId, hint ? `${fieldId}-hint` : undefined);
  return (
    <div className="field">
      <label htmlFor={fieldId}>
        {label}
        {input.required ? null : <span className="optional">{t('common.optional')}</span>}
      </label>
      <input id={fieldId} data-label={label} {...aria} {...input} />
      {hint ? (
        <div className="hint" id={`${fieldId}-hint`}>
          {hint}
        </div>
      ) : null}
      <FieldError id={fieldId} error={error} />
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
  const { error, aria } = useFieldError(id);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        required={required}
        data-label={label}
        {...aria}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
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

/** A done message, announced (role=status). `takeFocus`: when the control that did it is gone, focus comes here (2.4.3). */
export function Success({ children, takeFocus = false }: { children: ReactNode; takeFocus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  // Once, when it appears: typing on afterwards must not pull the focus back.
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus]);
  return (
    <div className="alert alert-success" role="status" ref={ref} tabIndex={takeFocus ? -1 : undefined}>
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

/** The problems a form found in its controls, by control id. */
const FormErrorsContext = createContext<Record<string, string>>({});

interface ControlProblem {
  key: string;
  /** empty for a control without an id: listed, not linked */
  id: string;
  label: string;
  message: string;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The control's problem in the page's language (the browser's own bubble speaks the browser's language and is not announced). */
function problemOf(control: Control, t: TFunction): string {
  const v = control.validity;
  const bound = (name: string) => control.getAttribute(name) ?? '';
  if (v.customError) return control.validationMessage;
  if (v.valueMissing) return control.type === 'radio' ? t('forms.choose') : t('forms.required');
  if (v.typeMismatch && control.type === 'email') return t('forms.email');
  if (v.badInput) return t('forms.number');
  if (v.rangeUnderflow) return t('forms.tooLow', { min: bound('min') });
  if (v.rangeOverflow) return t('forms.tooHigh', { max: bound('max') });
  if (v.tooShort) return t('forms.tooShort', { count: Number(bound('minlength')) });
  if (v.tooLong) return t('forms.tooLong', { count: Number(bound('maxlength')) });
  return control.dataset.formatError ?? t('forms.format');
}

function labelOf(control: Control): string {
  if (control.dataset.label) return control.dataset.label;
  if (control.type === 'radio')
    return control.closest('fieldset')?.querySelector('legend')?.textContent ?? control.name;
  return control.getAttribute('aria-label') ?? control.labels?.[0]?.textContent ?? control.name;
}

function problemsOf(form: HTMLFormElement, t: TFunction): ControlProblem[] {
  const seen = new Set<string>();
  const problems: ControlProblem[] = [];
  for (const element of Array.from(form.elements)) {
    if (!(
      element instanceof HTMLInputElement ||
      element instanceof HTMLSelectElement ||
      element instanceof HTMLTextAreaElement
    ))
      continue;
    if (!element.willValidate || element.validity.valid) continue;
    // One entry per radio group.
    const key = element.type === 'radio' ? `radio:${element.name}` : element.id || `${element.name}:${problems.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ key, id: element.id, label: labelOf(element).trim(), message: problemOf(element, t) });
  }
  return problems;
}

/**
 * A form whose submit handler is async; stops the browser's own submit. Its controls are checked here,
 * not by the browser's bubbles: each problem is written under its control (aria-invalid, aria-describedby)
 * and listed in a summary that is announced (role=alert) and focused, with links to the controls.
 */
export function Form({
  onSubmit,
  children,
  label,
  error,
}: {
  onSubmit: () => Promise<void> | void;
  children: ReactNode;
  label?: string;
  /** the API's refusal of the last submit: each of its `fields` is shown under the control named after it */
  error?: unknown;
}) {
  const { t } = useTranslation();
  const [problems, setProblems] = useState<ControlProblem[]>([]);
  const [attempt, setAttempt] = useState(0);
  const summary = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  // The server's field messages go under the controls whose `name` is the field's path (`username`, `to.zip`); the
  // page's ErrorSummary announces them (role=alert) as it does every refusal.
  useLayoutEffect(() => {
    const byId: Record<string, string> = {};
    for (const { field, message } of fieldMessagesOf(error)) {
      const control = form.current?.querySelector<Control>(`[name="${CSS.escape(field)}"]`);
      if (control?.id) byId[control.id] = byId[control.id] ? `${byId[control.id]} ${message}` : message;
    }
    setServerErrors(byId);
  }, [error]);
  useEffect(() => {
    if (attempt > 0) summary.current?.focus();
  }, [attempt]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found = problemsOf(e.currentTarget, t);
    setProblems(found);
    if (found.length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    void onSubmit();
  };
  // A corrected control loses its error at once; one still wrong keeps an up-to-date message.
  const recheck = (e: FormEvent<HTMLFormElement>) => {
    const control = e.target as Control;
    // A control the server refused is being corrected: its message would be stale.
    if (control.id && serverErrors[control.id]) {
      setServerErrors(({ [control.id]: _stale, ...rest }) => rest);
    }
    if (!control.id || !problems.some((p) => p.id === control.id)) return;
    setProblems((current) =>
      control.validity.valid
        ? current.filter((p) => p.id !== control.id)
        : current.map((p) => (p.id === control.id ? { ...p, message: problemOf(control, t) } : p)),
    );
  };
  const errors = {
    ...serverErrors,
    ...Object.fromEntries(problems.filter((p) => p.id).map((p) => [p.id, p.message])),
  };
  return (
    <form ref={form} aria-label={label} noValidate onSubmit={submit} onInput={recheck} onChange={recheck}>
      {problems.length > 0 ? (
        <div className="alert alert-error" role="alert" tabIndex={-1} ref={summary}>
          <strong>{t('forms.summary', { count: problems.length })}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p.key}>
                {p.id ? (
                  <a
                    href={`#${p.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(p.id)?.focus();
                    }}
                  >
                    {t('forms.item', { field: p.label, message: p.message })}
                  </a>
                ) : (
                  t('forms.item', { field: p.label, message: p.message })
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormErrorsContext.Provider value={errors}>{children}</FormErrorsContext.Provider>
    </form>
  );
}

/** A form of one field and its submit button (find a username, send a reset code, verify a letter, name a new thing). */
export function OneFieldForm({
  label,
  onSubmit,
  error,
  field,
  submit,
  busy,
  primary = false,
}: {
  /** the form's accessible name */
  label: string;
  onSubmit: () => Promise<void> | void;
  error?: unknown;
  field: FieldProps;
  /** the button's text; it is disabled while `busy` */
  submit: string;
  busy: boolean;
  /** the page's main action */
  primary?: boolean;
}) {
  return (
    <Form onSubmit={onSubmit} label={label} error={error}>
      <Field {...field} />
      <button type="submit" className={primary ? 'primary' : undefined} disabled={busy}>
        {submit}
      </button>
    </Form>
  );
}

/**
 * A table that scrolls sideways on a narrow screen, under the heading whose id is `labelledBy`: the
 * scrolling region takes keyboard focus (2.1.1) and both it and the table are named by that heading.
 */
export function ScrollTable({
  labelledBy,
  columns,
  children,
}: {
  labelledBy: string;
  columns: string[];
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * The items of a loaded list (`useLoad` of a `{ items }` answer): a loading notice while it loads, the
 * `empty` message when it has none, else one `<li>` per item, drawn by `children`.
 */
export function ItemList<T>({
  list,
  loading,
  empty,
  children,
}: {
  list: { data?: { items: T[] }; loading: boolean };
  loading: string;
  empty: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <>
      {list.loading ? <Loading what={loading} /> : null}
      {list.data && list.data.items.length === 0 ? <p className="muted">{empty}</p> : null}
      <ul className="item-list">{list.data?.items.map(children)}</ul>
    </>
  );
}
