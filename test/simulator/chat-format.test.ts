import { describe, expect, it } from 'vitest';
import { renderFormatting } from '../../scripts/chat-format.js';

describe('WhatsApp formatting in the terminal chat', () => {
  it('when a reply has *bold*, _italic_, ~strike~ and `code`, then a terminal shows them styled', () => {
    expect(renderFormatting('*Total: €5.00* _today_ ~old~ `x1`', true)).toBe(
      '\u001b[1mTotal: €5.00\u001b[22m \u001b[3mtoday\u001b[23m \u001b[9mold\u001b[29m \u001b[2mx1\u001b[22m',
    );
  });

  it('when markers do not wrap text as WhatsApp reads them, then they stay as typed', () => {
    expect(renderFormatting('2 * 3 = 6, file_name_here', true)).toBe('2 * 3 = 6, file_name_here');
  });

  it('when the output is not a terminal, then the markers stay', () => {
    expect(renderFormatting('*bold*', false)).toBe('*bold*');
  });
});
