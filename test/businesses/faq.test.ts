import { describe, expect, it } from 'vitest';
import { matchFaq } from '../../src/businesses/faq.js';

const FAQ = [
  { question: 'When are you open?', answer: 'Every day from 12:00 to 23:00.' },
  { question: 'Do you deliver?', answer: 'Yes, within 5 km.' },
];

describe('FAQ without AI', () => {
  it.each([
    ['When are you open?', 'When are you open?'],
    ['when r you open', 'When are you open?'],
    ['are you open today?', 'When are you open?'],
    ['what time do you open', 'When are you open?'],
    ['opening hours?', 'When are you open?'],
    ['do you deliver?', 'Do you deliver?'],
    ['do you deliever to my street', 'Do you deliver?'],
  ])('when the customer asks "%s", then the answer is the one for "%s"', (text, question) => {
    expect(matchFaq(FAQ, text)?.question).toBe(question);
  });

  it.each([
    'hi',
    'menu',
    'ok thanks',
    '2 margherita',
    'I want to talk to a person',
    'delete my data',
    'track my order',
  ])('when the customer writes "%s", then no FAQ entry is taken for it', (text) => {
    expect(matchFaq(FAQ, text)).toBeUndefined();
  });

  it('when the business has no FAQ, then nothing matches', () => {
    expect(matchFaq([], 'When are you open?')).toBeUndefined();
  });
});
