import type { ReactNode } from 'react';

type Tone = 'info' | 'success' | 'warning' | 'error';

export function Alert({
  tone = 'info',
  children,
  title,
}: {
  tone?: Tone;
  children?: ReactNode;
  title?: ReactNode;
}) {
  return (
    <div className={`fr-alert fr-alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div>
        {title ? <strong style={{ display: 'block' }}>{title}</strong> : null}
        {children}
      </div>
    </div>
  );
}

type BadgeTone = 'neutral' | 'brand' | 'success' | 'warning' | 'danger';

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`fr-badge ${tone === 'neutral' ? '' : `fr-badge-${tone}`}`}>{children}</span>;
}

export function ProgressBar({
  value,
  label,
  tone,
}: {
  /** 0..1 */
  value: number;
  label: string;
  tone?: 'success' | 'danger';
}) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 1000) / 10;
  return (
    <div
      className="fr-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-tone={tone}
    >
      <span style={{ inlineSize: `${percent}%` }} />
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="fr-row fr-muted" role="status">
      <span className="fr-spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : null}
    </span>
  );
}

export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="fr-empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="fr-page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div className="fr-row">{actions}</div> : null}
    </div>
  );
}
