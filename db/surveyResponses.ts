// Survey responses: one per member and event; a second click on a score link changes it.

import { Schema } from 'mongoose';
import { storageOptions } from './schemaOptions.js';

export interface SurveyResponseDoc {
  memberId: string;
  eventId: string;
  /** 0-10 */
  score: number;
  comment?: string;
  respondedAt: Date;
}

export const surveyResponseSchema = new Schema<SurveyResponseDoc>(
  {
    memberId: { type: String, required: true },
    eventId: { type: String, required: true },
    score: { type: Number, required: true, min: 0, max: 10 },
    comment: String,
    respondedAt: { type: Date, required: true },
  },
  storageOptions('surveyResponses'),
);

surveyResponseSchema.index({ memberId: 1, eventId: 1 }, { unique: true });
surveyResponseSchema.index({ eventId: 1 });
