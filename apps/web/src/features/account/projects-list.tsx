'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Button, LinkButton } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert, Badge, EmptyState } from '@/components/ui/feedback';
import { TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { commonText } from '@/i18n/dictionaries/common';
import { formatDate, localizeDigits } from '@/i18n/format';
import { api, call } from '@/lib/api/client';
import type { Project, ProjectPage } from '@/lib/api/types';
import styles from './account.module.css';
import { ConfirmDialog } from './confirm-dialog';

/** The workspace's projects: search by name, open, rename, duplicate and delete. */
export function ProjectsList({ initial, canEdit }: { initial: ProjectPage; canEdit: boolean }) {
  const t = useT(accountText);
  const locale = useLocale();
  const router = useRouter();
  const [projects, setProjects] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.next_cursor);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<Project | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const page = await api.get<ProjectPage>('/v1/projects', { limit: 24, q: query }, controller.signal);
        setProjects(page.items);
        setCursor(page.next_cursor);
        setError(null);
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setError(e);
      }
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api.get<ProjectPage>('/v1/projects', { limit: 24, q: query, cursor });
      setProjects((list) => [...list, ...page.items]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e);
    }
  };

  const duplicate = async (project: Project) => {
    setBusyId(project.id);
    setError(null);
    try {
      const copy = await api.post<Project>(`/v1/projects/${project.id}/duplicate`, {});
      setProjects((list) => [copy, ...list]);
      setNotice(t('projects.duplicated', { name: copy.name }));
    } catch (e) {
      setError(e);
    } finally {
      setBusyId(null);
    }
  };

  if (initial.items.length === 0 && projects.length === 0 && !query)
    return (
      <EmptyState title={t('projects.empty')}>
        <p>{t('projects.emptyHint')}</p>
        <LinkButton href="/templates" variant="primary">
          {t('projects.browse')}
        </LinkButton>
      </EmptyState>
    );

  return (
    <div className="fr-stack">
      <div className={styles.toolbar}>
        <div className={styles.grow}>
          <TextField
            label={t('projects.search')}
            type="search"
            value={query}
            dir="auto"
            onChange={(e) => setQuery(e.target.value)}
            data-testid="projects-search"
          />
        </div>
      </div>
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {projects.length === 0 ? <p className="fr-muted">{t('projects.noMatch')}</p> : null}
      <div className={styles.cards}>
        {projects.map((project) => (
          <article
            key={project.id}
            className={`fr-card ${styles.projectCard}`}
            data-testid="project-card"
            data-project={project.id}
          >
            <div>
              <Link href={`/studio/${project.id}`} className={styles.projectName} dir="auto">
                {project.name}
              </Link>
              <div className="fr-small fr-muted">
                {t('projects.template', {
                  title: project.template.title[locale] || project.template.title.fa,
                  v: project.template.version,
                })}
              </div>
            </div>
            <div className="fr-row">
              <Badge>{localizeDigits(project.aspect, locale)}</Badge>
              <Badge>{project.locale === 'fa' ? 'فارسی' : 'English'}</Badge>
              {project.template.latest_version &&
              project.template.latest_version > project.template.version ? (
                <Badge tone="warning">{t('projects.upgrade')}</Badge>
              ) : null}
            </div>
            <div className="fr-small fr-muted">
              {t('projects.updated', { date: formatDate(project.updated_at, locale, 'datetime') })}
            </div>
            <div className="fr-row">
              <LinkButton href={`/studio/${project.id}`} variant="primary" size="sm">
                {t('projects.open')}
              </LinkButton>
              {canEdit ? (
                <>
                  <Button size="sm" variant="ghost" onClick={() => setRenaming(project)}>
                    {t('rename')}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    busy={busyId === project.id}
                    onClick={() => duplicate(project)}
                  >
                    {t('projects.duplicate')}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDeleting(project)}>
                    {t('delete')}
                  </Button>
                </>
              ) : null}
            </div>
          </article>
        ))}
      </div>
      {cursor ? (
        <div>
          <Button onClick={loadMore}>{t('loadMore')}</Button>
        </div>
      ) : null}
      <RenameDialog
        project={renaming}
        onClose={() => setRenaming(null)}
        onRenamed={(updated) => {
          setProjects((list) => list.map((p) => (p.id === updated.id ? updated : p)));
          setRenaming(null);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('projects.deleteTitle')}
        confirmLabel={t('delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/v1/projects/${deleting.id}`);
          setProjects((list) => list.filter((p) => p.id !== deleting.id));
          router.refresh();
        }}
      >
        <p>{deleting ? t('projects.deleteBody', { name: deleting.name }) : null}</p>
      </ConfirmDialog>
    </div>
  );
}

function RenameDialog({
  project,
  onClose,
  onRenamed,
}: {
  project: Project | null;
  onClose: () => void;
  onRenamed: (project: Project) => void;
}) {
  const t = useT(accountText);
  const common = useT(commonText);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setName(project?.name ?? '');
    setError(null);
  }, [project]);
  const submit = async () => {
    if (!project || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      // The revision guards against renaming over an edit made meanwhile in the studio.
      const result = await call<Project>(`/v1/projects/${project.id}`, {
        method: 'PATCH',
        body: { name: name.trim() },
        ifMatch: `"${project.revision}"`,
      });
      onRenamed(result.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={project !== null}
      onClose={onClose}
      title={t('projects.renameTitle')}
      actions={
        <>
          <Button onClick={onClose}>{common('cancel')}</Button>
          <Button variant="primary" busy={busy} onClick={submit} data-testid="rename-save">
            {common('save')}
          </Button>
        </>
      }
    >
      <form
        className="fr-stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FormError error={error} />
        <TextField
          label={t('name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
          dir="auto"
          required
          data-testid="rename-input"
        />
      </form>
    </Dialog>
  );
}
