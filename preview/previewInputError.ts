// What a preview was asked that it cannot do (an unknown member, a bad scripted event, a file that does not
// check): `tend preview` prints it and the console shows it on the page, where any other error is a fault.

export class PreviewInputError extends Error {
  override name = 'PreviewInputError';
}
