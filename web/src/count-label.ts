/** "1 partner", "3 partners": a count with its noun, for table captions. */
export function countLabel(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
