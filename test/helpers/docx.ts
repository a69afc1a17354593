import JSZip from 'jszip';

/** The paragraphs of a .docx in document order (table cells are paragraphs too), each its `<w:t>` texts joined. */
export async function paragraphs(bytes: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!).join(''))
    .filter((s) => s !== '');
}
