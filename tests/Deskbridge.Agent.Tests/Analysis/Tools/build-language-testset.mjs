// Builds Analysis/Data/uppy-locales-sample.tsv, the held-out set that LanguageDetectionAccuracyTests measures
// on. Source: the translated UI messages of the npm package `@uppy/locales` (MIT, (c) Transloadit), written by
// Uppy's translators, a different source from the UDHR texts the profiles are built from.
//
//   mkdir /tmp/uppy && cd /tmp/uppy && npm pack @uppy/locales@5.2.0 && tar xzf uppy-locales-5.2.0.tgz
//   node build-language-testset.mjs /tmp/uppy/package ../Data/uppy-locales-sample.tsv
//
// Per language: messages that differ from the English ones (untranslated fallbacks are dropped), with
// %{placeholders} removed, joined in file order into samples of at least 100 characters; at most 12 samples.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [uppyDir, output] = process.argv.slice(2)
const locales = {
  en: ['en_US'], es: ['es_ES', 'es_MX'], fr: ['fr_FR'], de: ['de_DE'], pt: ['pt_BR', 'pt_PT'], it: ['it_IT'],
  nl: ['nl_NL'], pl: ['pl_PL'], ru: ['ru_RU'], uk: ['uk_UA'], tr: ['tr_TR'], ar: ['ar_SA'], zh: ['zh_CN', 'zh_TW'],
  ja: ['ja_JP'], ko: ['ko_KR'], hi: ['hi_IN'], sv: ['sv_SE'], da: ['da_DK'], nb: ['nb_NO'], fi: ['fi_FI'],
  cs: ['cs_CZ'], ro: ['ro_RO'], el: ['el_GR'], he: ['he_IL'], id: ['id_ID'], vi: ['vi_VN'], th: ['th_TH'],
}
const perLanguage = 12
const minLength = 100

async function strings(locale) {
  const module = await import(pathToFileURL(path.join(uppyDir, 'lib', `${locale}.js`)).href)
  const values = []
  for (const [key, value] of Object.entries(module.default.strings)) {
    for (const text of typeof value === 'string' ? [value] : Object.values(value)) values.push([key, text])
  }
  return values
}

const english = new Set((await strings('en_US')).map(([, text]) => text))
const lines = ['# language\ttext; from npm @uppy/locales@5.2.0 (MIT), built by Tools/build-language-testset.mjs']
for (const [language, codes] of Object.entries(locales)) {
  const samples = []
  for (const code of codes) {
    let current = ''
    for (const [, raw] of await strings(code)) {
      if (language !== 'en' && english.has(raw)) continue
      const text = raw.replace(/%\{[^}]*\}/g, '').replace(/\s+/g, ' ').trim()
      if (text.length < 15) continue
      current = current ? `${current} ${text}` : text
      if (current.length >= minLength) {
        samples.push(current)
        current = ''
      }
    }
  }
  // Spread the picks over the whole file rather than taking the first messages only.
  const step = Math.max(1, Math.floor(samples.length / perLanguage))
  const picked = samples.filter((_, i) => i % step === 0).slice(0, perLanguage)
  for (const sample of picked) lines.push(`${language}\t${sample.replaceAll('\t', ' ')}`)
}
fs.writeFileSync(output, lines.join('\n') + '\n')
console.log(`wrote ${lines.length - 1} samples to ${output}`)
