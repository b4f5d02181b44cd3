/**
 * The small part of MIME (RFC 2045-2047) the mail catcher needs to show a mail: decoded From/To/Subject/Date/
 * Message-ID and the first text/plain and text/html bodies, looking into nested multiparts. Attachments are
 * skipped. The message is handled as a latin1 string so every byte survives until its charset is known.
 */

export interface ParsedMail {
  from: string | null;
  to: string | null;
  subject: string | null;
  date: Date | null;
  messageId: string | null;
  text: string | null;
  html: string | null;
}

interface Entity {
  headers: Map<string, string>;
  body: string;
}

export function parseMail(raw: Buffer): ParsedMail {
  const root = splitEntity(raw.toString('latin1'));
  const header = (name: string) => {
    const value = root.headers.get(name);
    return value === undefined ? null : decodeEncodedWords(value).trim();
  };
  const dateHeader = header('date');
  const date = dateHeader === null ? null : new Date(dateHeader);
  const bodies = { text: null as string | null, html: null as string | null };
  collectBodies(root, bodies);
  return {
    from: header('from'),
    to: header('to'),
    subject: header('subject'),
    date: date !== null && !Number.isNaN(date.getTime()) ? date : null,
    messageId: header('message-id'),
    ...bodies,
  };
}

function splitEntity(source: string): Entity {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  // Unfold: a line starting with white space continues the previous header.
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // The first occurrence wins, as for a mail client showing the message.
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectBodies(entity: Entity, found: { text: string | null; html: string | null }): void {
  const contentType = parseContentType(entity.headers.get('content-type'));
  if (/^attachment\b/i.test(entity.headers.get('content-disposition') ?? '')) return;
  if (contentType.type.startsWith('multipart/')) {
    const boundary = contentType.params.get('boundary');
    if (!boundary) return;
    for (const part of splitMultipart(entity.body, boundary)) collectBodies(splitEntity(part), found);
    return;
  }
  const kind = contentType.type === 'text/plain' ? 'text' : contentType.type === 'text/html' ? 'html' : null;
  if (kind === null || found[kind] !== null) return;
  const bytes = decodeTransfer(entity.body, entity.headers.get('content-transfer-encoding'));
  found[kind] = decodeCharset(bytes, contentType.params.get('charset'));
}

function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  // RFC 2045: no Content-Type means plain US-ASCII text.
  if (value === undefined) return { type: 'text/plain', params: new Map() };
  const [type = '', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const equals = param.indexOf('=');
    if (equals < 0) continue;
    const name = param.slice(0, equals).trim().toLowerCase();
    params.set(name, param.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith(`--${boundary}`)) {
      if (current) parts.push(current.join('\r\n'));
      if (line.trimEnd() === `--${boundary}--`) return parts;
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\r?\n/g, ''));
    default:
      return Buffer.from(body, 'latin1');
  }
}

function decodeQuotedPrintable(text: string): Buffer {
  return Buffer.from(
    text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // A charset the runtime does not know: UTF-8 is the likeliest guess for anything sent today.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded words. Adjacent words of one charset are joined as bytes before decoding, because senders
 * may split a multi-byte character between two words; the white space between encoded words is dropped.
 */
export function decodeEncodedWords(value: string): string {
  const pieces: Array<{ charset: string; bytes: Buffer[] } | string> = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [, rawCharset = '', encoding = '', payload = ''] = match;
    // RFC 2231 allows a language after the charset (charset*lang); it does not change the decoding.
    const charset = rawCharset.split('*')[0]!.toLowerCase();
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(payload, 'base64')
        : decodeQuotedPrintable(payload.replace(/_/g, ' '));
    const between = value.slice(last, match.index);
    const previous = pieces[pieces.length - 1];
    const joinsPrevious = typeof previous === 'object' && /^\s*$/.test(between);
    if (joinsPrevious && previous.charset === charset) previous.bytes.push(bytes);
    else {
      if (!joinsPrevious) pieces.push(between);
      pieces.push({ charset, bytes: [bytes] });
    }
    last = match.index + match[0].length;
  }
  pieces.push(value.slice(last));
  return pieces
    .map((piece) =>
      typeof piece === 'string'
        ? // Headers are 7-bit by the standard, but 8-bit (SMTPUTF8) headers are UTF-8.
          Buffer.from(piece, 'latin1').toString('utf8')
        : decodeCharset(Buffer.concat(piece.bytes), piece.charset),
    )
    .join('');
}
