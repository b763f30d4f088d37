/** The document a new platform template starts from: small, valid, in both languages. */
export const STARTER_TEMPLATE = {
  id: 'new-template',
  engine: 1,
  mode: 'fixed',
  fps: 30,
  title: { fa: 'قالب تازه', en: 'New template' },
  category: 'greeting',
  aspects: { '16:9': [1920, 1080], '9:16': [1080, 1920], '1:1': [1080, 1080] },
  fonts: { display: 'Vazirmatn:800', body: 'Vazirmatn:400' },
  fields: {
    brand: { type: 'color', default: '#5b3df5', label: { fa: 'رنگ برند', en: 'Brand colour' } },
  },
  palette: {
    background: '#f6f7fb',
    surface: '#ffffff',
    primary: { field: 'brand' },
    accent: '#ff5a6e',
    text: '#161a2b',
    muted: '#7a8099',
  },
  scenes: [
    {
      id: 'intro',
      block: 'title-card',
      duration: { default: 4, min: 2, max: 8 },
      fields: {
        title: { type: 'text', maxLength: 40, default: { fa: 'سلام', en: 'Hello' } },
      },
      props: { title: { field: 'intro.title' } },
    },
  ],
};
