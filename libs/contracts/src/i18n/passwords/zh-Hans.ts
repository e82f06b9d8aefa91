import type { PasswordFeedbackTexts } from './en';

/** Simplified Chinese feedback of the password-strength estimator, by zxcvbn-ts's keys (see en.ts). */
export const PASSWORD_FEEDBACK_ZH_HANS: PasswordFeedbackTexts = {
  warnings: {
    straightRow: '键盘上连成一排的按键很容易被猜到。',
    keyPattern: '简短的键盘图案很容易被猜到。',
    simpleRepeat: '像“aaa”这样的重复字符很容易被猜到。',
    extendedRepeat: '像“abcabcabc”这样的重复字符组合很容易被猜到。',
    sequences: '像“abc”这样的常见字符序列很容易被猜到。',
    recentYears: '最近的年份很容易被猜到。',
    dates: '日期很容易被猜到。',
    topTen: '这是一个使用极为广泛的密码。',
    topHundred: '这是一个经常被使用的密码。',
    common: '这是一个常用密码。',
    similarToCommon: '这与一个常用密码很相似。',
    wordByItself: '单个单词很容易被猜到。',
    namesByThemselves: '单独的名字或姓氏很容易被猜到。',
    commonNames: '常见的名字和姓氏很容易被猜到。',
    userInputs: '不应包含个人信息或与本页面相关的信息。',
    pwned: '您的密码已在互联网上的数据泄露中曝光。',
  },
  suggestions: {
    l33t: '避免可预测的字母替换，例如用“@”代替“a”。',
    reverseWords: '避免将常见单词倒着拼写。',
    allUppercase: '将部分字母（而非全部）改为大写。',
    capitalization: '不要只把首字母大写。',
    dates: '避免使用与您相关的日期和年份。',
    recentYears: '避免使用最近的年份。',
    associatedYears: '避免使用与您相关的年份。',
    sequences: '避免使用常见的字符序列。',
    repeated: '避免重复的单词和字符。',
    longerKeyboardPattern: '使用更长的键盘图案，并多次改变输入方向。',
    anotherWord: '多加几个不常见的单词。',
    useWords: '使用多个单词，但避免常见短语。',
    noNeed: '不使用符号、数字或大写字母，也能设置强密码。',
    pwned: '如果您在其他地方也使用此密码，应当更改它。',
  },
};
