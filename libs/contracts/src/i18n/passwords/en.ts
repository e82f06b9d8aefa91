/**
 * English feedback of the password-strength estimator (zxcvbn-ts), by its own keys: the server's policy and
 * the web portal's strength meter both hand these to zxcvbn as its translations, so the key it answers with
 * names the same sentence in every language. Written here (not taken from @zxcvbn-ts/language-en) so that
 * every language has the same keys and the same tone.
 */
export const PASSWORD_FEEDBACK_EN = {
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'There should not be any personal or page related data.',
    pwned: 'Your password was exposed by a data breach on the Internet.',
  },
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalize some, but not all letters.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use multiple words, but avoid common phrases.',
    noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
    pwned: 'If you use this password elsewhere, you should change it.',
  },
} as const;

export type PasswordFeedbackTexts = {
  warnings: Record<keyof typeof PASSWORD_FEEDBACK_EN.warnings, string>;
  suggestions: Record<keyof typeof PASSWORD_FEEDBACK_EN.suggestions, string>;
};

/** The feedback as one flat namespace (`warning_straightRow`, `suggestion_l33t`), as the server catalogue holds it. */
export function flatPasswordFeedback(texts: PasswordFeedbackTexts): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(texts.warnings).map(([key, text]) => [`warning_${key}`, text])),
    ...Object.fromEntries(Object.entries(texts.suggestions).map(([key, text]) => [`suggestion_${key}`, text])),
  };
}
