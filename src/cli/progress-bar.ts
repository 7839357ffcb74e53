/** A one-line progress display on a terminal; plain lines when output is a log file or a pipe. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, title = '') {
  const interactive = Boolean(stream.isTTY);
  let lastLine = '';
  return {
    update(done: number, total: number, label: string) {
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const line = `${title}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
      if (interactive) stream.write(`\r\x1b[2K${line}`);
      else if (line !== lastLine) stream.write(`${line}\n`);
      lastLine = line;
    },
    finish(message: string) {
      stream.write(interactive ? `\r\x1b[2K${message}\n` : `${message}\n`);
    },
  };
}
