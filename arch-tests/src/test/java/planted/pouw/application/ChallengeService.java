package planted.pouw.application;

/** Breaks servicesLiveInApplicationService. */
public class ChallengeService {
}
