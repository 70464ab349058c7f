// The renderer's public API: scenes from seeds, parameters θ, render().
export * from './camera.js';
export * from './primitives.js';
export { type Box, boxesFromInstances } from './boxes.js';
export { RenderParams, PARAMS_FORMAT, type ParamsJSON, type ParamValue } from './params.js';
export { paramSchema, type ParamSetup, type ParamSpec, type Shading, type LightKind } from './params_schema.js';
export { defaultLook, type Look, type MaterialLook, type LightLook } from './defaults.js';
export { render, type RenderOptions, type RenderOutput } from './render.js';
export { streetScene, streetSequence, type StreetScene, type StreetSequence, type StreetOptions, type SequenceOptions } from './scenes/street.js';
export { CLASS as CITYSCAPES_CLASS } from './scenes/street_objects.js';
export { faceScene, gazeVector, pitchYawOf, FACE_CLASS, type FaceScene, type FaceMeta, type FaceOptions } from './scenes/face.js';
