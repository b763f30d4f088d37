import { type ComponentProps, type ReactNode, useId } from 'react';

interface FieldShellProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  warning?: ReactNode;
  id: string;
  children: ReactNode;
  className?: string;
}

/** Label, control, hint and the error shown right under the control it concerns. */
export function FieldShell({ label, hint, error, warning, id, children, className }: FieldShellProps) {
  return (
    <div className={`fr-field ${className ?? ''}`} data-invalid={error ? 'true' : undefined}>
      <label className="fr-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error ? (
        <span className="fr-field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      {!error && warning ? (
        <span className="fr-field-warning" id={`${id}-warning`}>
          {warning}
        </span>
      ) : null}
      {hint ? (
        <span className="fr-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error: unknown, hint: unknown) {
  return [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
}

export interface TextFieldProps extends Omit<ComponentProps<'input'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  warning?: ReactNode;
  id?: string;
}

export function TextField({ label, hint, error, warning, id, className, ...rest }: TextFieldProps) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldShell label={label} hint={hint} error={error} warning={warning} id={fieldId} className={className}>
      <input
        id={fieldId}
        className="fr-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface TextAreaProps extends Omit<ComponentProps<'textarea'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  warning?: ReactNode;
  id?: string;
}

export function TextArea({ label, hint, error, warning, id, className, ...rest }: TextAreaProps) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldShell label={label} hint={hint} error={error} warning={warning} id={fieldId} className={className}>
      <textarea
        id={fieldId}
        className="fr-textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface SelectFieldProps extends Omit<ComponentProps<'select'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  id?: string;
  options: Array<{ value: string; label: string }>;
}

export function SelectField({ label, hint, error, id, options, className, ...rest }: SelectFieldProps) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <FieldShell label={label} hint={hint} error={error} id={fieldId} className={className}>
      <select
        id={fieldId}
        className="fr-select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, error, hint)}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
