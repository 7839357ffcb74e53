import { type RefObject, useLayoutEffect, useState } from 'react';
import type { StageDefinition } from './therapy-api.ts';
import { leadTimeLabel } from './therapy-labels.ts';

interface Arrow {
  id: string;
  path: string;
  labelX: number;
  labelY: number;
  label: string;
}

interface Size {
  width: number;
  height: number;
}

function measure(container: HTMLElement, stages: StageDefinition[]): { arrows: Arrow[]; size: Size } {
  const origin = container.getBoundingClientRect();
  const box = (key: string) => {
    const element = container.querySelector<HTMLElement>(`[data-step-key="${CSS.escape(key)}"]`);
    if (!element) return null;
    const rect = element.getBoundingClientRect();
    const left = rect.left - origin.left + container.scrollLeft;
    const top = rect.top - origin.top + container.scrollTop;
    return { left, top, right: left + rect.width, bottom: top + rect.height };
  };
  const arrows: Arrow[] = [];
  for (const stage of stages)
    for (const step of stage.steps)
      for (const lead of step.leadTimes ?? []) {
        const from = box(step.key);
        const to = box(lead.toStep);
        if (!from || !to) continue;
        // Leave the source card 24px below its top and enter the target at the same height.
        const startX = from.right;
        const startY = from.top + 24;
        const endX = to.left;
        const endY = to.top + 24;
        const forward = endX > startX;
        let path: string;
        if (forward) {
          const bend = Math.max(24, (endX - startX) / 2);
          path = `M ${startX} ${startY} C ${startX + bend} ${startY}, ${endX - bend} ${endY}, ${endX - 6} ${endY}`;
        } else {
          // Same column (a step below): run down the right edge and come back in.
          const x = Math.max(from.right, to.right) + 18;
          path = `M ${startX} ${startY} C ${x} ${startY}, ${x} ${to.top + 24}, ${to.right + 6} ${to.top + 24}`;
        }
        arrows.push({
          id: `${step.key}-${lead.toStep}`,
          path,
          labelX: forward ? (startX + endX) / 2 : Math.max(from.right, to.right) + 20,
          labelY: forward ? (startY + endY) / 2 - 6 : (startY + to.top + 24) / 2,
          label: leadTimeLabel(lead.min, lead.max, lead.unit),
        });
      }
  return { arrows, size: { width: container.scrollWidth, height: container.scrollHeight } };
}

interface LeadTimeArrowsProps {
  container: RefObject<HTMLElement | null>;
  stages: StageDefinition[];
}

/**
 * Arrows from a step to the steps its lead times point at, labelled min–max, drawn over the flow.
 * Decorative: each card also says its lead times in words.
 */
export function LeadTimeArrows({ container, stages }: LeadTimeArrowsProps) {
  const [drawing, setDrawing] = useState<{ arrows: Arrow[]; size: Size }>({
    arrows: [],
    size: { width: 0, height: 0 },
  });

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const update = () => setDrawing(measure(element, stages));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    for (const child of element.querySelectorAll('.flow-step')) observer.observe(child);
    element.addEventListener('toggle', update, true);
    return () => {
      observer.disconnect();
      element.removeEventListener('toggle', update, true);
    };
  }, [container, stages]);

  return (
    <svg
      className="flow-arrows"
      width={drawing.size.width}
      height={drawing.size.height}
      aria-hidden="true"
      focusable="false"
    >
      <defs>
        <marker
          id="flow-arrow-head"
          viewBox="0 0 10 10"
          refX="8"
          refY="5"
          markerWidth="8"
          markerHeight="8"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--mantine-color-teal-8)" />
        </marker>
      </defs>
      {drawing.arrows.map((arrow) => (
        <g key={arrow.id}>
          <path
            d={arrow.path}
            fill="none"
            stroke="var(--mantine-color-teal-8)"
            strokeWidth={1.75}
            strokeDasharray="6 4"
            markerEnd="url(#flow-arrow-head)"
          />
          <text x={arrow.labelX} y={arrow.labelY} textAnchor="middle" className="flow-arrow-label">
            {arrow.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
