/**
 * The catcher's MIME reading on hand-written mails in encodings nodemailer does not produce for the end-to-end
 * tests: Q-encoded words, a character split across two encoded words, GB2312, nested multiparts, attachments.
 */
import { decodeEncodedWords, parseMail } from '../../server/mail/parseMail';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

test('encoded words: B and Q, joined across a split character, white space between words dropped', () => {
  const bytes = Buffer.from('话费账单', 'utf8');
  const first = bytes.subarray(0, 4).toString('base64');
  const second = bytes.subarray(4).toString('base64');
  expect(decodeEncodedWords(`=?UTF-8?B?${first}?=\r\n =?utf-8?B?${second}?=`)).toBe('话费账单');
  expect(decodeEncodedWords('=?UTF-8?Q?=E6=8A=95=E8=AF=89_=E5=9B=9E=E5=A4=8D?= (No. 42)')).toBe('投诉 回复 (No. 42)');
  const gb = Buffer.from([0xd5, 0xcb, 0xb5, 0xa5]).toString('base64'); // 账单 in GB2312
  expect(decodeEncodedWords(`Re: =?gb2312?B?${gb}?=`)).toBe('Re: 账单');
  expect(decodeEncodedWords('plain subject')).toBe('plain subject');
});

test('a nested multipart with quoted-printable text, base64 HTML and an attachment', () => {
  const html = Buffer.from('<p>您好，账单见附件</p>', 'utf8').toString('base64');
  const mail = parseMail(
    crlf([
      'From: =?UTF-8?B?5a6i5pyN?= <kefu@example.cn>',
      'To: a@example.cn,',
      ' b@example.cn',
      'Subject: =?UTF-8?Q?=E8=B4=A6=E5=8D=95?=',
      'Date: Tue, 25 Nov 2026 10:00:00 +0800',
      'Message-ID: <abc@example.cn>',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Total: 65.34 =E5=85=83, a long line that was soft=',
      '-wrapped',
      '--inner',
      'Content-Type: text/html; charset="UTF-8"',
      'Content-Transfer-Encoding: base64',
      '',
      html.slice(0, 20),
      html.slice(20),
      '--inner--',
      '--outer',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Disposition: attachment; filename="bill.txt"',
      '',
      'not a body',
      '--outer--',
      '',
    ]),
  );
  expect(mail).toEqual({
    from: '客服 <kefu@example.cn>',
    to: 'a@example.cn, b@example.cn',
    subject: '账单',
    date: new Date('2026-11-25T02:00:00Z'),
    messageId: '<abc@example.cn>',
    text: 'Total: 65.34 元, a long line that was soft-wrapped',
    html: '<p>您好，账单见附件</p>',
  });
});

test('a single-part 8-bit GBK body and missing headers', () => {
  const body = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
  const mail = parseMail(
    Buffer.concat([crlf(['Content-Type: text/plain; charset=GBK', 'Date: not a date', '', '']), body]),
  );
  expect(mail).toMatchObject({ from: null, subject: null, date: null, text: '你好', html: null });
});
