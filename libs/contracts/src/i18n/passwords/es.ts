import type { PasswordFeedbackTexts } from './en';

/** Spanish feedback of the password-strength estimator, by zxcvbn-ts's keys (see en.ts). */
export const PASSWORD_FEEDBACK_ES: PasswordFeedbackTexts = {
  warnings: {
    straightRow: 'Las filas seguidas de teclas del teclado son fáciles de adivinar.',
    keyPattern: 'Los patrones cortos de teclado son fáciles de adivinar.',
    simpleRepeat: 'Los caracteres repetidos como "aaa" son fáciles de adivinar.',
    extendedRepeat: 'Los patrones de caracteres repetidos como "abcabcabc" son fáciles de adivinar.',
    sequences: 'Las secuencias de caracteres comunes como "abc" son fáciles de adivinar.',
    recentYears: 'Los años recientes son fáciles de adivinar.',
    dates: 'Las fechas son fáciles de adivinar.',
    topTen: 'Esta contraseña se usa muchísimo.',
    topHundred: 'Esta contraseña se usa con mucha frecuencia.',
    common: 'Esta es una contraseña de uso común.',
    similarToCommon: 'Se parece a una contraseña de uso común.',
    wordByItself: 'Una sola palabra es fácil de adivinar.',
    namesByThemselves: 'Un nombre o apellido solo es fácil de adivinar.',
    commonNames: 'Los nombres y apellidos comunes son fáciles de adivinar.',
    userInputs: 'No debe contener datos personales ni datos de esta página.',
    pwned: 'Su contraseña quedó expuesta en una filtración de datos en Internet.',
  },
  suggestions: {
    l33t: "Evite sustituciones de letras previsibles, como '@' por 'a'.",
    reverseWords: 'Evite escribir al revés palabras comunes.',
    allUppercase: 'Ponga en mayúscula algunas letras, pero no todas.',
    capitalization: 'Ponga en mayúscula algo más que la primera letra.',
    dates: 'Evite fechas y años relacionados con usted.',
    recentYears: 'Evite los años recientes.',
    associatedYears: 'Evite años relacionados con usted.',
    sequences: 'Evite secuencias de caracteres comunes.',
    repeated: 'Evite palabras y caracteres repetidos.',
    longerKeyboardPattern: 'Use patrones de teclado más largos y cambie de dirección varias veces.',
    anotherWord: 'Añada más palabras poco comunes.',
    useWords: 'Use varias palabras, pero evite frases comunes.',
    noNeed: 'Puede crear contraseñas seguras sin símbolos, números ni mayúsculas.',
    pwned: 'Si usa esta contraseña en otro sitio, debería cambiarla.',
  },
};
