import { z } from 'zod';
import type { PortalSession } from '../db/models/portal-session.model.js';
import { escapeHtml as esc } from '../http/escape-html.js';

/**
 * A text field of a urlencoded form or query: a missing or repeated field reads as empty, which every form
 * then refuses with its own message (a browser sends neither).
 */
export const formText = z.string().catch('');

/** A checkbox: checked when the browser sent `on`. */
export const formCheckbox = formText.transform((value) => value === 'on');

/** The `_csrf` field every portal form carries. */
export const csrfForm = z.object({ _csrf: formText });

/**
 * A form body (or query) parsed with a schema of `formText` and `formCheckbox` fields. Never throws: the
 * fields fall back to empty, so a page decides what an empty field means.
 */
export function readForm<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  body: unknown,
): z.output<z.ZodObject<Shape>> {
  const parsed = schema.safeParse(body ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

/** One text value of a query or body (`?msg=`, `?status=`): empty unless a single string was sent. */
export const textOf = (value: unknown): string => formText.parse(value);

/** A zod issue of the business configuration, as a form maps it onto its fields. */
export type FormIssue = { path: PropertyKey[]; message: string };

/** A form that did not validate: problems by form field (`name`, `price`), and ones of no single field. */
export class FormInvalid extends Error {
  constructor(
    readonly fields: Record<string, string>,
    readonly general: string[] = [],
  ) {
    super('invalid form');
  }
}

/** Every issue as a problem of the whole form: for forms with no fields of their own (a switch, a remove). */
export const generalProblems = (issues: FormIssue[]): FormInvalid =>
  new FormInvalid(
    {},
    issues.map((i) => i.message),
  );

/** A hidden field carrying a CSRF token. */
export const hiddenToken = (token: string): string =>
  `<input type="hidden" name="_csrf" value="${esc(token)}">`;

/** The session's synchronizer token, in every signed-in form (checked by `requirePost`). */
export const csrfField = (session: PortalSession): string => hiddenToken(session.csrf);

/** A labelled control with its error next to it (`aria-describedby`, `aria-invalid`). */
export function field(options: {
  id: string;
  name: string;
  label: string;
  value?: string;
  error?: string | undefined;
  type?: 'text' | 'textarea' | 'checkbox' | 'password';
  checked?: boolean;
  required?: boolean;
  extra?: string;
}): string {
  const errorId = `${options.id}-error`;
  const aria = options.error ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
  const required = options.required ? ' required' : '';
  const error = options.error
    ? ` <span class="error" id="${errorId}" data-testid="${errorId}">${esc(options.error)}</span>`
    : '';
  const attrs = `id="${options.id}" name="${options.name}" data-testid="${options.id}"${aria}${required}${options.extra ?? ''}`;
  if (options.type === 'checkbox') {
    return `<p><input type="checkbox" ${attrs}${options.checked ? ' checked' : ''}> <label for="${options.id}" class="inline">${esc(options.label)}</label>${error}</p>`;
  }
  const control =
    options.type === 'textarea'
      ? `<textarea ${attrs} rows="3" cols="60">${esc(options.value)}</textarea>`
      : `<input type="${options.type ?? 'text'}" ${attrs} value="${esc(options.value)}">`;
  return `<p><label for="${options.id}">${esc(options.label)}</label>${control}${error}</p>`;
}

/**
 * One labelled control of any kind (`html` writes it with the attributes given), with a hint and its error
 * beside it (`aria-describedby`, `aria-invalid`).
 */
export function control(options: {
  id: string;
  label: string;
  html: (attrs: string) => string;
  error?: string | undefined;
  hint?: string;
}): string {
  const describedBy = [options.hint ? `${options.id}-hint` : '', options.error ? `${options.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const attrs =
    `id="${options.id}" data-testid="${options.id}"` +
    (describedBy ? ` aria-describedby="${describedBy}"` : '') +
    (options.error ? ' aria-invalid="true"' : '');
  return (
    `<p><label for="${options.id}">${esc(options.label)}</label>${options.html(attrs)}` +
    (options.hint ? ` <span class="hint" id="${options.id}-hint">${esc(options.hint)}</span>` : '') +
    (options.error
      ? ` <span class="error" id="${options.id}-error" data-testid="${options.id}-error">${esc(options.error)}</span>`
      : '') +
    '</p>'
  );
}

/** Weekday keys (as opening hours and resources' weeks store them) as the portal names them. */
export const WEEKDAY_NAMES = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
} as const;

/**
 * zod issues of the whole configuration mapped onto a form's fields by `fieldOf` (with the form's own
 * problems, `own`); the rest are general. `reword` may say a field's message in the form's own terms (a range
 * in the units the form asks for).
 */
export const mapIssues =
  (
    fieldOf: (path: PropertyKey[]) => string | undefined,
    own: Record<string, string> = {},
    reword: (field: string, message: string) => string = (_field, message) => message,
  ) =>
  (issues: FormIssue[]): FormInvalid => {
    const fields: Record<string, string> = { ...own };
    const general: string[] = [];
    for (const issue of issues) {
      const name = fieldOf(issue.path);
      if (name) fields[name] ??= reword(name, issue.message);
      else general.push(`${issue.path.map(String).join('.') || 'settings'}: ${issue.message}`);
    }
    return new FormInvalid(fields, general);
  };
