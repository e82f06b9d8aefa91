import { PASSWORD_FEEDBACK_EN } from '@app/contracts/i18n/passwords/en';

/** zxcvbn's verdict; `warning` and `suggestions` are its feedback keys (`passwordFeedback.*` in the texts). */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string;
  suggestions: string[];
}

/** Each feedback key translated as itself: zxcvbn then answers with keys, which the page says in its language. */
const asKeys = <T extends Record<string, string>>(texts: T) =>
  Object.fromEntries(Object.keys(texts).map((key) => [key, key])) as Record<keyof T, string>;

type Checker = (password: string, userInputs: string[]) => Strength;

let loading: Promise<Checker> | null = null;

/** zxcvbn with its dictionaries, loaded on first use (they are large) in their own chunk. */
export function loadStrengthChecker(): Promise<Checker> {
  loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, en]) => {
    const factory = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: {
        ...en.translations,
        warnings: asKeys(PASSWORD_FEEDBACK_EN.warnings),
        suggestions: asKeys(PASSWORD_FEEDBACK_EN.suggestions),
      },
    });
    return (password, userInputs) => {
      const result = factory.check(password, userInputs);
      return {
        score: result.score,
        warning: result.feedback.warning ?? '',
        suggestions: result.feedback.suggestions,
      };
    };
  });
  return loading;
}

/** The server's policy: at least 12 characters and a zxcvbn score of 3 or more. */
export const MIN_PASSWORD_LENGTH = 12;
export const MIN_SCORE = 3;
