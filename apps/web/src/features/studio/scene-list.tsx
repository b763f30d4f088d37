'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { useLocale, useT } from '@/i18n/client';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatNumber, latinDigits } from '@/i18n/format';
import type { SceneEdit } from '@/lib/api/types';
import styles from './studio.module.css';

export interface SceneRow {
  id: string;
  name: string;
  duration: number;
  min: number;
  max: number;
  /** Errors the checks found in this scene. */
  errorCount?: number;
}

export interface SceneListProps {
  scenes: SceneRow[];
  /** Flexible templates let people add, remove and reorder scenes; fixed ones only change lengths. */
  flexible: boolean;
  minScenes: number;
  maxScenes: number;
  blocks: Array<{ id: string; name: string }>;
  selected?: string | undefined;
  onSelect: (id: string) => void;
  onEdit: (edit: SceneEdit) => void;
}

/**
 * The scene list: select a scene, change its length, and in flexible templates add, remove and
 * reorder scenes by drag and drop or from the keyboard (Alt + Up/Down on the handle, or the buttons).
 */
export function SceneList(props: SceneListProps) {
  const t = useT(studioText);
  const locale = useLocale();
  const { scenes, flexible } = props;
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [block, setBlock] = useState(props.blocks[0]?.id ?? '');
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, HTMLButtonElement>());

  const move = (scene: SceneRow, to: number) => {
    if (to < 0 || to >= scenes.length) return;
    props.onEdit({ op: 'move', scene: scene.id, to });
    setAnnouncement(t('sceneMoved', { name: scene.name, n: to + 1 }));
    // Focus follows the moved scene, so repeated Alt+Arrow keeps moving it.
    requestAnimationFrame(() => handles.current.get(scene.id)?.focus());
  };

  return (
    <div className={styles.sceneList}>
      {!flexible ? <p className="fr-hint">{t('fixedScenes')}</p> : null}
      <ol className={styles.scenes} aria-label={t('scenesTitle')}>
        {scenes.map((scene, index) => (
          <li
            key={scene.id}
            className={styles.scene}
            data-selected={props.selected === scene.id || undefined}
            data-dragging={dragging === scene.id || undefined}
            data-drop-before={dropAt === index || undefined}
            data-drop-after={dropAt === scenes.length && index === scenes.length - 1 ? true : undefined}
            data-testid="scene-row"
            data-scene={scene.id}
            draggable={flexible}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', scene.id);
              setDragging(scene.id);
            }}
            onDragEnd={() => {
              setDragging(null);
              setDropAt(null);
            }}
            onDragOver={(event) => {
              if (!dragging) return;
              event.preventDefault();
              const rect = event.currentTarget.getBoundingClientRect();
              setDropAt(event.clientY < rect.top + rect.height / 2 ? index : index + 1);
            }}
            onDrop={(event) => {
              event.preventDefault();
              const id = dragging ?? event.dataTransfer.getData('text/plain');
              const from = scenes.findIndex((s) => s.id === id);
              const target = dropAt ?? index;
              setDragging(null);
              setDropAt(null);
              if (from < 0) return;
              // Dropping below itself counts the gap it leaves.
              const to = target > from ? target - 1 : target;
              if (to !== from) move(scenes[from]!, to);
            }}
          >
            {flexible ? (
              <button
                type="button"
                className={styles.handle}
                aria-label={t('dragHandle', { name: scene.name })}
                ref={(el) => {
                  if (el) handles.current.set(scene.id, el);
                  else handles.current.delete(scene.id);
                }}
                onKeyDown={(event) => {
                  if (!event.altKey) return;
                  if (event.key === 'ArrowUp') {
                    event.preventDefault();
                    move(scene, index - 1);
                  } else if (event.key === 'ArrowDown') {
                    event.preventDefault();
                    move(scene, index + 1);
                  }
                }}
              >
                ⋮⋮
              </button>
            ) : null}
            <button
              type="button"
              className={styles.sceneName}
              onClick={() => props.onSelect(scene.id)}
              aria-current={props.selected === scene.id ? 'true' : undefined}
            >
              <span className={styles.sceneIndex}>{formatNumber(index + 1, locale)}</span>
              <span>{scene.name}</span>
              {scene.errorCount ? (
                <span className="fr-badge fr-badge-danger">{formatNumber(scene.errorCount, locale)}</span>
              ) : null}
            </button>
            <input
              className={`fr-input ${styles.duration}`}
              type="number"
              dir="ltr"
              min={scene.min}
              max={scene.max}
              step={0.5}
              aria-label={t('sceneDurationOf', { name: scene.name })}
              defaultValue={scene.duration}
              key={`${scene.id}:${scene.duration}`}
              onBlur={(event) => {
                const seconds = Number(latinDigits(event.target.value));
                if (!Number.isFinite(seconds) || seconds === scene.duration) return;
                if (seconds < scene.min || seconds > scene.max) {
                  event.target.value = String(scene.duration);
                  return;
                }
                props.onEdit({ op: 'duration', scene: scene.id, seconds });
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') (event.target as HTMLInputElement).blur();
              }}
            />
            {flexible ? (
              <span className={styles.sceneActions}>
                <Button
                  size="sm"
                  variant="ghost"
                  className="fr-icon-btn"
                  aria-label={t('moveUp', { name: scene.name })}
                  disabled={index === 0}
                  onClick={() => move(scene, index - 1)}
                >
                  ↑
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  className="fr-icon-btn"
                  aria-label={t('moveDown', { name: scene.name })}
                  disabled={index === scenes.length - 1}
                  onClick={() => move(scene, index + 1)}
                >
                  ↓
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  className="fr-icon-btn"
                  aria-label={t('removeScene', { name: scene.name })}
                  disabled={scenes.length <= props.minScenes}
                  onClick={() => {
                    props.onEdit({ op: 'remove', scene: scene.id });
                    setAnnouncement(t('sceneRemoved', { name: scene.name }));
                  }}
                >
                  ✕
                </Button>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      {flexible && props.blocks.length > 0 ? (
        <div className={styles.addScene}>
          <label className="fr-visually-hidden" htmlFor="add-scene-block">
            {t('chooseBlock')}
          </label>
          <select
            id="add-scene-block"
            className="fr-select"
            value={block}
            onChange={(event) => setBlock(event.target.value)}
          >
            {props.blocks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          <Button
            size="sm"
            disabled={scenes.length >= props.maxScenes || !block}
            onClick={() => {
              props.onEdit({ op: 'add', block });
              setAnnouncement(t('sceneAdded'));
            }}
          >
            + {t('addScene')}
          </Button>
        </div>
      ) : null}
      <div className="fr-visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
