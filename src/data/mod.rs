//! Data records as the pages they make, below the renderer: which pages records make and
//! where (`kinds`), what a template sees of a record in one language (`views`), and gongsi's
//! template functions and filters (`functions`).
//! Nothing here renders a template or draws a chart.

pub mod functions;
pub mod kinds;
pub mod views;
