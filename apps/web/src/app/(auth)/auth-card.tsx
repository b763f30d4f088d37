import type { ReactNode } from 'react';

export function AuthCard({ title, lead, children }: { title: string; lead?: string; children: ReactNode }) {
  return (
    <div className="fr-auth">
      <div className="fr-card fr-auth-card">
        <h1>{title}</h1>
        {lead ? <p className="fr-muted">{lead}</p> : null}
        <div className="fr-divider" />
        {children}
      </div>
    </div>
  );
}
