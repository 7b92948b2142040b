// Renders a Reply as plain text for the console and `hotline ask` (what a terminal shows).
import { sourceMeta } from '../core/present.js';
import { type Block, type Reply, visibleReply } from '../core/reply.js';
import { visibleText } from '../core/text.js';

/** The reply as readable text, wrapped at `width` columns. */
export function renderText(asked: Reply, width = 100): string {
  const reply = visibleReply(asked);
  const out: string[] = [];
  const marker = reply.tone === 'error' ? '✗ ' : '';
  out.push(`${marker}${reply.title}`, '─'.repeat(Math.min(width, Math.max(20, reply.title.length + marker.length))));
  for (const block of reply.blocks) out.push(...renderBlock(block, width), '');
  if (reply.sources.length > 0) {
    out.push('Sources:');
    reply.sources.forEach((s, i) => {
      out.push(...wrap(`[${i + 1}] ${s.title} — ${sourceMeta(s)}`, width, '', '    '), `    ${s.url}`);
    });
    if (reply.moreSources) out.push(...wrap(reply.moreSources, width));
    out.push('');
  }
  if (reply.footer) out.push(reply.footer);
  while (out.at(-1) === '') out.pop();
  // No terminal escape, bell or invisible mark from the data or the question reaches the terminal.
  return visibleText(out.join('\n'));
}

function renderBlock(block: Block, width: number): string[] {
  switch (block.type) {
    case 'text':
      return block.text.split('\n').flatMap((line) => wrap(line, width));
    case 'fields': {
      const pad = Math.max(...block.fields.map((f) => f.label.length)) + 2;
      return block.fields.flatMap((f) => wrap(f.value, width, `${`${f.label}:`.padEnd(pad)}`, ' '.repeat(pad)));
    }
    case 'list':
      return [
        ...(block.heading ? [`${block.heading}:`] : []),
        ...block.items.flatMap((item) => wrap(item, width, '  • ', '    ')),
      ];
    case 'columns':
      return block.columns.flatMap((c) => [
        `${c.label}:`,
        ...c.value.split('\n').flatMap((line) => wrap(line, width, '  ', '  ')),
      ]);
  }
}

/** Word-wraps one line with a first-line prefix and a continuation indent. */
export function wrap(text: string, width: number, first = '', rest = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
