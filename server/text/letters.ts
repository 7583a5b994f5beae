// Shared by numbering (annex letters) and markup (lettered lists); its own module so neither imports the other.

/** The GOST 1.5 letter sequence (no Ё З Й О Ч Ь Ы Ъ): annexes, and lettered lists in lower case. */
export const GOST_LETTERS = [
  'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'И', 'К', 'Л', 'М', 'Н', 'П',
  'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ш', 'Щ', 'Э', 'Ю', 'Я',
] as const;
