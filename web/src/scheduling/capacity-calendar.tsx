import { Group, Text } from '@mantine/core';
import type { CapacityDay } from './scheduling-api.ts';
import { addDays, dayLabel } from './scheduling-labels.ts';
import './scheduling.css';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });

/** Monday of the week `day` is in. */
function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

function cellClass(entry: CapacityDay | undefined): string {
  if (!entry || entry.capacity === 0) return 'capacity-cell-none';
  if (entry.closed) return 'capacity-cell-closed';
  const tint =
    entry.free === 0
      ? 'capacity-cell-full'
      : entry.free < entry.capacity
        ? 'capacity-cell-some'
        : 'capacity-cell-free';
  return entry.published ? tint : `${tint} capacity-cell-unpublished`;
}

function cellText(day: string, entry: CapacityDay | undefined): string {
  if (!entry) return `${dayLabel(day)}: no capacity`;
  if (entry.closed) return `${dayLabel(day)}: ${entry.closed}`;
  return `${dayLabel(day)}: capacity ${entry.capacity}, ${entry.booked} booked, ${entry.held} held, ${entry.free} free${entry.published ? '' : ', unpublished (request only)'}`;
}

function Swatch({ className, label }: { className: string; label: string }) {
  return (
    <Text size="xs" component="span">
      <span className={`capacity-legend-swatch ${className}`} aria-hidden="true" />
      {label}
    </Text>
  );
}

interface CapacityCalendarProps {
  /** The days of one work type at one site. */
  days: CapacityDay[];
  from: string;
  count: number;
  caption: string;
}

/**
 * Booked, held and free units per day as a grid, one row per week: each cell is tinted by how much is
 * still free and carries its numbers as text, so neither colour nor hovering is needed to read it.
 */
export function CapacityCalendar({ days, from, count, caption }: CapacityCalendarProps) {
  const byDay = new Map(days.map((entry) => [entry.day, entry]));
  const last = addDays(from, count - 1);
  const weeks: string[] = [];
  for (let monday = mondayOf(from); monday <= last; monday = addDays(monday, 7)) weeks.push(monday);
  const totals = days.reduce(
    (sum, entry) => ({
      booked: sum.booked + entry.booked,
      held: sum.held + entry.held,
      free: sum.free + entry.free,
    }),
    { booked: 0, held: 0, free: 0 },
  );
  const today = from;

  return (
    <div>
      <Group gap="lg" mb="sm" aria-label="Legend">
        <Swatch className="capacity-cell-free" label="All free" />
        <Swatch className="capacity-cell-some" label="Partly taken" />
        <Swatch className="capacity-cell-full" label="Full" />
        <Swatch className="capacity-cell-none" label="No capacity" />
        <Swatch className="capacity-cell-closed" label="Closed" />
        <Swatch className="capacity-cell-unpublished capacity-cell-none" label="Unpublished (request only)" />
      </Group>
      <Text size="sm" mb="sm" role="status">
        {dayLabel(from)} – {dayLabel(last)}: {totals.booked} booked, {totals.held} held, {totals.free} free.
      </Text>
      <div style={{ overflowX: 'auto' }}>
        <table className="capacity-grid">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {WEEKDAYS.map((weekday) => (
                <th key={weekday} scope="col">
                  {weekday}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((monday) => (
              <tr key={monday}>
                <th scope="row">{dayLabel(monday, true).replace(/^\S+\s/, '')}</th>
                {WEEKDAYS.map((weekday, index) => {
                  const day = addDays(monday, index);
                  if (day < from || day > last) return <td key={weekday} aria-hidden="true" />;
                  const entry = byDay.get(day);
                  const text = cellText(day, entry);
                  return (
                    <td
                      key={weekday}
                      className={`${cellClass(entry)}${day === today ? ' capacity-cell-today' : ''}`}
                      title={text}
                      aria-label={text}
                      data-day={day}
                    >
                      <div style={{ fontWeight: 600 }} aria-hidden="true">
                        {Number(day.slice(8))}
                        {day.endsWith('-01') ? ` ${monthFormat.format(new Date(`${day}T00:00:00Z`))}` : ''}
                      </div>
                      {entry?.closed ? (
                        <div aria-hidden="true">Closed</div>
                      ) : entry ? (
                        <div aria-hidden="true">
                          <div>{entry.free} free</div>
                          {entry.booked > 0 || entry.held > 0 ? (
                            <div>
                              {entry.booked > 0 ? `${entry.booked} booked` : ''}
                              {entry.booked > 0 && entry.held > 0 ? ' · ' : ''}
                              {entry.held > 0 ? `${entry.held} held` : ''}
                            </div>
                          ) : null}
                        </div>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
