import { Badge, Stack, Text } from '@mantine/core';
import { useMemo, useRef } from 'react';
import { LeadTimeArrows } from './lead-time-arrows.tsx';
import { StepCard } from './step-card.tsx';
import type { TemplateDocument } from './therapy-api.ts';

/** The template as a flow: one column per stage, its steps as cards, lead times as arrows between them. */
export function TemplateFlow({ document }: { document: TemplateDocument }) {
  const container = useRef<HTMLElement>(null);
  const stepTitles = useMemo(
    () => new Map(document.stages.flatMap((stage) => stage.steps.map((step) => [step.key, step.title]))),
    [document],
  );

  return (
    <section aria-labelledby="template-flow-heading">
      <Text component="h2" id="template-flow-heading" fz="h4" fw={650} mb={4}>
        Stages and steps
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        Left to right in the order a case moves; dashed arrows are lead times between steps (minimum–maximum).
        Scroll sideways to see every stage.
      </Text>
      <section
        className="flow-scroll"
        ref={container}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
        tabIndex={0}
        aria-label="Template flow, scrolls sideways"
      >
        <ol className="flow-columns">
          {document.stages.map((stage, index) => (
            <li key={stage.key} className="flow-column" aria-labelledby={`stage-${stage.key}`}>
              <Stack gap="sm">
                <Text
                  component="h3"
                  id={`stage-${stage.key}`}
                  fw={700}
                  size="sm"
                  className="flow-stage-title"
                >
                  <Badge size="sm" variant="filled" color="teal" mr={6} aria-hidden="true">
                    {index + 1}
                  </Badge>
                  {stage.title}
                </Text>
                {stage.steps.map((step) => (
                  <StepCard key={step.key} step={step} stepTitles={stepTitles} />
                ))}
              </Stack>
            </li>
          ))}
        </ol>
        <LeadTimeArrows container={container} stages={document.stages} />
      </section>
    </section>
  );
}
